"""Accuracy measured against gold data: the ``diurna eval`` quality gate."""
