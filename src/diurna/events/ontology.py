"""CAMEO event ontology: names, Goldstein values, QuadClass, PLOVER mapping, rejection codes.

The data is ``data/cameo.json``, built by ``scripts/build_ontology.py`` from the shared reference
tables (see its ``_meta`` for provenance and rules). It is read once per process and cached.

Codes are strings as CAMEO writes them, with leading zeros: roots ``"01"`` .. ``"20"``, then 3- and
4-digit codes (``"054"``, ``"1724"``). The numbering is **CAMEO 1.1b3**, that of GDELT 2.0, ICEWS
and the PLOVER table, which is what Diurna emits (``"163"`` is *impose embargo, boycott, or
sanctions*, ``"129"`` *veto*). The shared reference codebook numbers some codes differently; the
number a code has there is on :attr:`CameoCode.reference_code`, and :func:`from_reference`
converts a reference-numbered code (e.g. from data coded before the switch to 1.1b3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

DATA_PACKAGE = "diurna.events.data"
ONTOLOGY_FILE = "cameo.json"


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code with its scale values and PLOVER mapping."""

    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None
    parent: str | None = None
    reference_code: str | None = None
    """The number of the code of the same meaning in the reference codebook, or None."""
    reference_codes: tuple[str, ...] = ()
    """Every reference code filed under this code (same meaning, or this is the closest code)."""

    @property
    def is_root(self) -> bool:
        """True for the 2-digit root codes ``"01"`` .. ``"20"``."""
        return len(self.code) == 2

    @property
    def cameo_1_1b3(self) -> str:
        """The CAMEO 1.1b3 code: the code itself, since the ontology is keyed by 1.1b3 codes."""
        return self.code


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    """The parsed ontology file (read once per process)."""
    text = resources.files(DATA_PACKAGE).joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


@lru_cache(maxsize=1)
def all_codes() -> dict[str, CameoCode]:
    """Every CAMEO code of the ontology, keyed by code, in codebook order."""
    codes: dict[str, CameoCode] = {}
    for key, entry in _document()["codes"].items():
        plover = entry.get("plover") or {}
        codes[key] = CameoCode(
            code=entry["code"],
            name=entry["name"],
            root=entry["root"],
            goldstein=float(entry["goldstein"]),
            quad_class=int(entry["quad_class"]),
            plover_type=plover.get("type"),
            plover_mode=plover.get("mode"),
            plover_context=plover.get("context"),
            parent=entry.get("parent"),
            reference_code=entry.get("reference_code"),
            reference_codes=tuple(entry.get("reference_codes") or ()),
        )
    return codes


def _normalise(code: str) -> str:
    """Accept ``"054"`` as well as ``" 054 "``; numbers are not codes (leading zeros matter)."""
    if not isinstance(code, str):
        raise TypeError(f"CAMEO codes are strings such as '054', not {type(code).__name__}")
    return code.strip()


def cameo(code: str) -> CameoCode:
    """The :class:`CameoCode` for ``code``.

    Raises:
        KeyError: if the code is not in the ontology.
    """
    key = _normalise(code)
    try:
        return all_codes()[key]
    except KeyError:
        raise KeyError(
            f"unknown CAMEO code {code!r}: the ontology has 2-digit roots '01'..'20' and their "
            "3- and 4-digit sub-codes, written with leading zeros (e.g. '054', '1724')"
        ) from None


def is_code(code: str) -> bool:
    """True if ``code`` is a CAMEO code of the ontology."""
    return isinstance(code, str) and code.strip() in all_codes()


def rejection_code(code: str) -> str | None:
    """The REJECT code that a refusal or negation of the cooperative event ``code`` expresses.

    ``None`` when the negated event is no event (appeals, demands, conflict codes...).

    Raises:
        KeyError: if the code is not in the ontology.
    """
    key = cameo(code).code
    value: str | None = _document()["rejections"].get(key)
    return value


def quad_class(code: str) -> int:
    """GDELT QuadClass: 1 verbal / 2 material cooperation, 3 verbal / 4 material conflict."""
    return cameo(code).quad_class


def goldstein(code: str) -> float:
    """Goldstein conflict-cooperation value of ``code`` (-10 .. 10)."""
    return cameo(code).goldstein


def plover(code: str) -> dict[str, str | None]:
    """PLOVER 2021 mapping of ``code``: ``{"type": ..., "mode": ..., "context": ...}``.

    Values are ``None`` where the table gives none (roots 01 and 02 have no PLOVER type).
    """
    entry = cameo(code)
    return {"type": entry.plover_type, "mode": entry.plover_mode, "context": entry.plover_context}


def root_of(code: str) -> str:
    """The 2-digit root of ``code``."""
    return cameo(code).root


def from_reference(code: str) -> str:
    """The CAMEO 1.1b3 code under which the reference codebook's ``code`` is filed.

    The code of the same meaning (reference ``"166"`` *impose embargo* -> ``"163"``), or the
    closest code where 1.1b3 has none of the same meaning (reference ``"121"`` -> ``"120"``).

    Raises:
        KeyError: if ``code`` is not a code of the reference codebook.
    """
    key = _normalise(code)
    crosswalk: dict[str, str] = _document()["_meta"]["reference_crosswalk"]
    try:
        return crosswalk[key]
    except KeyError:
        raise KeyError(f"not a code of the reference codebook: {code!r}") from None


def meta() -> dict[str, Any]:
    """The ``_meta`` block of the ontology file (provenance, rules)."""
    value: dict[str, Any] = _document()["_meta"]
    return value
