"""Dask's forced malloc trim threshold is undone in workers, once, and only where it was set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from diurna.executors.allocator import local_cluster_environ

_PROBE = "from diurna.executors.allocator import tune_allocator as t; print(t(), t())"


def _probe(**environ: str) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MALLOC_TRIM_THRESHOLD_", "DIURNA_MALLOC_TUNING")}
    env.update(environ)
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_forced_trim_threshold_is_raised_once_per_process() -> None:
    assert _probe(MALLOC_TRIM_THRESHOLD_="65536") == "True False"


def test_nothing_is_changed_without_the_variable_or_when_turned_off() -> None:
    assert _probe() == "False False"
    assert _probe(MALLOC_TRIM_THRESHOLD_="65536", DIURNA_MALLOC_TUNING="0") == "False False"


def test_local_cluster_environment_drops_only_the_trim_threshold() -> None:
    dask_default = {"MALLOC_TRIM_THRESHOLD_": 65536, "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1}
    assert local_cluster_environ(dask_default) == {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1}
    assert local_cluster_environ({}) == {}
