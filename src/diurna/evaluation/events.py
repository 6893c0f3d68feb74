"""Scoring coded events against gold, with the matching rules of ``shared/eval/README.md``.

Per sentence, system events are reduced to keys of each kind (root, exact code, source country,
target country, the (root, source, target) triple, PLOVER type, and plain detection) and
de-duplicated. A key is correct if some gold event accepts it; a gold event is found if it accepts
some key. Counts are summed over sentences. Root and triple use only sentences whose gold events
all have a root; exact code only those whose gold events all have a code.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from diurna.evaluation.gold import GoldEvent, GoldSentence

KINDS = ("detection", "root", "code", "source", "target", "triple", "plover")


@dataclass
class PRF:
    tp_p: int = 0  # system keys accepted by gold
    n_p: int = 0  # system keys
    tp_r: int = 0  # gold events found
    n_r: int = 0  # gold events

    @property
    def precision(self) -> float:
        return self.tp_p / self.n_p if self.n_p else 0.0

    @property
    def recall(self) -> float:
        return self.tp_r / self.n_r if self.n_r else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EventScores:
    kinds: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in KINDS})
    modality_correct: int = 0
    modality_total: int = 0
    noevent_sentences: int = 0
    noevent_with_events: int = 0
    sentences: int = 0

    @property
    def modality_accuracy(self) -> float:
        return self.modality_correct / self.modality_total if self.modality_total else 0.0

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for kind, prf in self.kinds.items():
            out[f"{kind}_precision"] = round(prf.precision, 4)
            out[f"{kind}_recall"] = round(prf.recall, 4)
            out[f"{kind}_f1"] = round(prf.f1, 4)
        if self.modality_total:
            out["modality_accuracy"] = round(self.modality_accuracy, 4)
        if self.noevent_sentences:
            out["noevent_false_alarm_rate"] = round(
                self.noevent_with_events / self.noevent_sentences, 4
            )
        return out


def _system_keys(event: dict[str, Any]) -> dict[str, Hashable]:
    src = (event.get("source") or {}).get("country")
    tgt = (event.get("target") or {}).get("country")
    cameo = str(event.get("cameo") or "")
    root = cameo[:2] or None
    return {
        "detection": "event",
        "root": root,
        "code": cameo or None,
        "source": src,
        "target": tgt,
        "triple": (root, src, tgt),
        "plover": (event.get("plover") or {}).get("type"),
    }


def _accepts(kind: str) -> Callable[[GoldEvent, Any], bool]:
    checks: dict[str, Callable[[GoldEvent, Any], bool]] = {
        "detection": lambda g, k: True,
        "root": lambda g, k: g.root == k,
        "code": lambda g, k: g.code == k,
        "source": lambda g, k: g.accepts_source(k),
        "target": lambda g, k: g.accepts_target(k),
        "triple": lambda g, k: g.root == k[0] and g.accepts_source(k[1]) and g.accepts_target(k[2]),
        "plover": lambda g, k: g.plover is not None and g.plover == k,
    }
    return checks[kind]


def _scored(kind: str, gold: Sequence[GoldEvent]) -> bool:
    if kind in ("root", "triple"):
        return all(g.root for g in gold)
    if kind == "code":
        return all(g.code for g in gold)
    if kind == "plover":
        return all(g.plover for g in gold)
    return True


def score_sentence(
    scores: EventScores, gold: GoldSentence, system: Sequence[dict[str, Any]]
) -> None:
    if gold.discard:
        return
    scores.sentences += 1
    if gold.noevents or not gold.events:
        scores.noevent_sentences += 1
        scores.noevent_with_events += bool(system)
    keyed = [_system_keys(e) for e in system]
    for kind in KINDS:
        if not _scored(kind, gold.events):
            continue
        accepts = _accepts(kind)
        keys = {k[kind] for k in keyed}
        prf = scores.kinds[kind]
        prf.n_p += len(keys)
        prf.tp_p += sum(any(accepts(g, key) for g in gold.events) for key in keys)
        prf.n_r += len(gold.events)
        prf.tp_r += sum(any(accepts(g, key) for key in keys) for g in gold.events)
    # Modality: over gold events with a modality that a system event matches by triple.
    triple = _accepts("triple")
    for g in gold.events:
        if g.modality is None:
            continue
        matches = [e for e, k in zip(system, keyed, strict=True) if triple(g, k["triple"])]
        if not matches and g.modality == "negated" and g.root:
            # A negated act is emitted under its rejection code; match it by its base code.
            matches = [e for e in system
                       if str((e.get("plover") or {}).get("negated_cameo", ""))[:2] == g.root]
        if matches:
            scores.modality_total += 1
            scores.modality_correct += any(e.get("modality") == g.modality for e in matches)
