"""Actors: the dictionary (data files), the spaCy ruler built from it, and resolution."""
