"""Gold sets for event coding, read into one shape.

Three sets are supported: the PLOVER gold-standard dev half and the UniversalPetrarch dev half
(in ``../shared/eval/``, read in place, never copied), and the project's own
``eval/gold/events.jsonl``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# PLOVER 0.5b1 names → the 2021 names (see shared/eval/README.md).
PLOVER_2021 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
               "FIGHT": "ASSAULT"}


@dataclass(frozen=True)
class GoldEvent:
    root: str | None
    code: str | None
    sources: frozenset[str | None]
    targets: frozenset[str | None]
    plover: str | None
    modality: str | None = None
    reciprocal: bool = False

    def accepts_source(self, country: str | None) -> bool:
        return country in self.sources

    def accepts_target(self, country: str | None) -> bool:
        if self.reciprocal:
            return country is None or country in self.sources
        return country in self.targets


@dataclass
class GoldSentence:
    id: str
    text: str
    published: str | None
    events: list[GoldEvent] = field(default_factory=list)
    noevents: bool = False
    discard: bool = False


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def shared_dir() -> Path | None:
    """``$DIURNA_SHARED``, else ``../shared`` beside the repository; None when absent."""
    env = os.environ.get("DIURNA_SHARED")
    candidate = Path(env) if env else repo_root().parent / "shared"
    return candidate if (candidate / "eval").is_dir() else None


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _countries(actors: list[dict[str, Any]]) -> frozenset[str | None]:
    return frozenset(a.get("country") for a in actors) or frozenset({None})


def load_plover(path: Path) -> list[GoldSentence]:
    out = []
    for r in _jsonl(path):
        events = [
            GoldEvent(
                root=e.get("cameo_root"), code=e.get("cameo"),
                sources=_countries(e.get("source") or []),
                targets=_countries(e.get("target") or []),
                plover=e.get("plover_2021") or PLOVER_2021.get(e.get("plover"), e.get("plover")),
                reciprocal=bool(e.get("reciprocal")),
            )
            for e in r["events"]
        ]
        out.append(GoldSentence(r["id"], r["text"], r.get("published"), events))
    return out


def _as_emitted(code: str | None, modality: str | None) -> str | None:
    """The code the system emits for a gold event: a negated act under its rejection code.

    The project's gold keeps a negated act's own code (``054`` + negated); Diurna emits it as the
    CAMEO rejection (root 12) where one exists, as the UniversalPetrarch gold does.
    """
    if code and modality == "negated":
        from diurna.events.ontology import rejection_code

        return rejection_code(code) or code
    return code


def _plover_of(code: str | None, given: str | None) -> str | None:
    if given or not code:
        return given
    from diurna.events.ontology import plover

    return plover(code).get("type")


def load_flat(path: Path) -> list[GoldSentence]:
    """UniversalPetrarch dev records and the project's own gold share one flat event shape."""
    out = []
    for r in _jsonl(path):
        events = []
        for e in r["events"]:
            code = _as_emitted(e.get("cameo"), e.get("modality"))
            events.append(
                GoldEvent(
                    root=code[:2] if code else e.get("cameo_root"),
                    code=code,
                    sources=frozenset({e.get("source_country")}),
                    targets=frozenset({e.get("target_country")}),
                    plover=_plover_of(code, e.get("plover_2021")) if "modality" in e
                    else e.get("plover_2021"),
                    modality=e.get("modality"),
                )
            )
        out.append(
            GoldSentence(r["id"], r["text"], r.get("published"), events,
                         noevents=bool(r.get("noevents")), discard=bool(r.get("discard")))
        )
    return out


def available_sets() -> dict[str, Path]:
    """Name → path of every gold set present on this machine."""
    sets: dict[str, Path] = {}
    own = repo_root() / "eval" / "gold" / "events.jsonl"
    if own.exists():
        sets["gold"] = own
    shared = shared_dir()
    if shared is not None:
        for name, file in (("plover", "plover_dev.jsonl"), ("upetr", "upetr_dev.jsonl")):
            if (shared / "eval" / file).exists():
                sets[name] = shared / "eval" / file
    return sets


def load_set(name: str, path: Path) -> list[GoldSentence]:
    return load_plover(path) if name == "plover" else load_flat(path)
