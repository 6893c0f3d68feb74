"""Slow-to-build, read-only resources kept on disk between processes.

Some resources take far longer to build than to read back: the gazetteer's name index (about a
second from GeoNames, pycountry and the curated files; 0.15 s unpickled) and the language
identifier (0.4 s to decompress; 0.05 s). Every process that needs them pays the build: each
CLI run and each worker of a pool or a Dask cluster. :func:`cached` keeps the built object as a
pickle named by a fingerprint of everything the build reads (data files, the builder's code,
library versions), so an upgrade or an edited data file makes a new file and never serves a
stale one.

The cache is a convenience, never a requirement: a directory that cannot be written (a
read-only home on a cluster node), a file that cannot be read or unpickled, or ``DIURNA_CACHE=0``
all fall back to building in memory.

Where: ``$DIURNA_CACHE_DIR``, else ``$XDG_CACHE_HOME/diurna``, else ``~/.cache/diurna``. Files
are unpickled, so the directory must be one only its user can write (as a home cache is); they
are created readable by their owner only.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is switched off (``DIURNA_CACHE=0``)."""
    if os.environ.get("DIURNA_CACHE", "1").strip().lower() in ("0", "no", "off", "false"):
        return None
    if os.environ.get("DIURNA_CACHE_DIR"):
        return Path(os.environ["DIURNA_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "diurna"
    try:
        return Path.home() / ".cache" / "diurna"
    except RuntimeError:  # no home directory to be found: build every time
        return None


def fingerprint(*parts: str | bytes) -> str:
    """A short digest of a build's inputs (texts, file contents, versions)."""
    digest = hashlib.sha256(f"python={sys.version_info[:2]};".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:24]


def version_of(package: str) -> str:
    """``package=VERSION`` for a fingerprint (``package=?`` when it is not installed)."""
    try:
        return f"{package}={metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return f"{package}=?"


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``'s result, from the file ``NAME-KEY.pickle`` in the cache folder when there
    is a valid one; else built and written there (atomically: a reader never sees half a
    file). ``key`` is the build's :func:`fingerprint`."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key}.pickle"
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
