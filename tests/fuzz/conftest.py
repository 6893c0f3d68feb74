"""Hypothesis profiles for the fuzz tests, and the spaCy model loaded once per session.

``HYPOTHESIS_PROFILE=ci`` (the default) is quick and deterministic: the whole folder runs in well
under a minute. ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) is a campaign with many examples
(3,000 per test, 600 for the tests that run spaCy or build huge inputs) and fresh randomness on
every run: about seven minutes on two cores.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# A spaCy parse makes some examples slow and the hostile strategies build large inputs: neither
# is a problem with the code under test.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

# No example database: CI is derandomized, and a campaign prints every failing example with a
# @reproduce_failure blob to replay it. (Hypothesis still keeps caches in a .hypothesis folder,
# which ignores itself for git.)
settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=_SLOW_OK, print_blob=True,
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, database=None, suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def nlp_loaded() -> None:
    """Load the pipeline's spaCy model (with the actor ruler) once for the whole session.

    ``load_model`` caches per process; this fixture only makes the load happen up front, outside
    any hypothesis example, so that the first example is not charged with it.
    """
    from diurna.nlp.model import load_model

    load_model()
