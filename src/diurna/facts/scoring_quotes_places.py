"""Scoring the quote and place steps against ``eval/gold/quotes.jsonl`` and ``places.jsonl``.

Both scorers run the real pipeline (spaCy model, actor resolution, then the fact step) on each
gold text. Run ``python -m diurna.facts.scoring_quotes_places [dev|heldout] [-v]`` to print the
figures. Records marked ``"split": "heldout"`` were written after the rules were fixed.

**Quotes.** A system quote matches a gold quote of the same record when their word overlap
(F1 over lower-cased word tokens) is at least ``QUOTE_MATCH``; each gold quote is matched at
most once, best overlap first. Precision, recall and F1 count matches. Speaker accuracy is over
matched pairs: the codes must be equal; where gold has no code, the system must have none either
and its speaker text must share a content word with the gold speaker text.

**Places.** The gold ``name`` is found in the text (at ``start`` when given, else the n-th gold
place with a name is its n-th occurrence); it is recalled when a system place mention overlaps
that occurrence. Country and precision accuracy are over recalled mentions; mention precision is
the share of system mentions that overlap some gold occurrence.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from diurna.article import Article, Quote

QUOTE_MATCH = 0.5
_STOP = frozenset({"the", "a", "an", "of", "in", "for", "who", "his", "her", "and"})


def _default(name: str) -> Path:
    return Path(__file__).resolve().parents[3] / "eval" / "gold" / name


def _records(path: str | Path, split: str | None) -> Iterator[dict[str, Any]]:
    """Gold records; ``split`` "dev" or "heldout" keeps one part (records without one are dev)."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        record = json.loads(line) if line.strip() else None
        if record is not None and split in (None, record.get("split", "dev")):
            yield record


def _analyse(record: dict[str, Any], step: Callable[[Article], Article]) -> Article:
    from diurna.actors.step import ActorStep
    from diurna.nlp.step import NLPStep

    article = Article(id=record["id"], text=record["text"], published=record.get("published"))
    for s in (NLPStep(), ActorStep(), step):
        s(article)
    return article


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def overlap(a: str, b: str) -> float:
    """Word-overlap F1 of two strings."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    common = sum(min(wa.count(w), wb.count(w)) for w in set(wa))
    if not common:
        return 0.0
    p, r = common / len(wa), common / len(wb)
    return 2 * p * r / (p + r)


def quote_record(q: Quote) -> dict[str, Any]:
    """A quote as plain data, the speaker flattened."""
    s = q.speaker
    return {"text": q.text, "start": q.start, "end": q.end, "direct": q.direct, "verb": q.verb,
            "speaker_text": s.text if s else None, "speaker_code": s.code if s else None,
            "sentence_index": q.sentence_index}


def speaker_ok(gold: dict[str, Any], system: dict[str, Any]) -> bool:
    if gold.get("speaker_code"):
        return bool(system["speaker_code"] == gold["speaker_code"])
    if system["speaker_code"] or not system["speaker_text"]:
        return False
    content = set(_words(gold.get("speaker_text") or "")) - _STOP
    return bool(content & set(_words(system["speaker_text"])))


def _ratios(tp: int, n_sys: int, n_gold: int, prefix: str) -> dict[str, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}precision": round(p, 4), f"{prefix}recall": round(r, 4),
            f"{prefix}f1": round(f, 4)}


def match_quotes(gold: list[dict[str, Any]],
                 system: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs = sorted(((overlap(g["text"], s["text"]), i, j) for i, g in enumerate(gold)
                    for j, s in enumerate(system)), reverse=True)
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for score, i, j in pairs:
        if score < QUOTE_MATCH or i in used_g or j in used_s:
            continue
        used_g.add(i)
        used_s.add(j)
        out.append((gold[i], system[j]))
    return out


def score_quotes(path: str | Path | None = None, *, split: str | None = None,
                 verbose: bool = False) -> dict[str, float]:
    from diurna.facts.quotes import QuoteStep

    step = QuoteStep()
    n_gold = n_sys = tp = speakers = direct_ok = 0
    by_kind = {True: [0, 0], False: [0, 0]}  # direct? -> [matched, gold]
    for record in _records(path or _default("quotes.jsonl"), split):
        article = _analyse(record, step)
        system = [quote_record(q) for q in article.quotes]
        gold = record["quotes"]
        pairs = match_quotes(gold, system)
        n_gold, n_sys, tp = n_gold + len(gold), n_sys + len(system), tp + len(pairs)
        for g in gold:
            by_kind[bool(g["direct"])][1] += 1
        for g, s in pairs:
            by_kind[bool(g["direct"])][0] += 1
            speakers += speaker_ok(g, s)
            direct_ok += g["direct"] == s["direct"]
            if verbose and not speaker_ok(g, s):
                print(f"{record['id']} speaker: gold {g['speaker_code']} {g['speaker_text']!r}"
                      f" / system {s['speaker_code']} {s['speaker_text']!r}")
        if verbose:
            matched_g = [id(g) for g, _ in pairs]
            matched_s = [id(s) for _, s in pairs]
            for g in gold:
                if id(g) not in matched_g:
                    print(f"{record['id']} missed: {g['text']!r}")
            for s in system:
                if id(s) not in matched_s:
                    print(f"{record['id']} extra: {s['text']!r} ({s['speaker_text']})")
    out = _ratios(tp, n_sys, n_gold, "quote_")
    out["speaker_accuracy"] = round(speakers / tp, 4) if tp else 0.0
    out["direct_flag_accuracy"] = round(direct_ok / tp, 4) if tp else 0.0
    out["direct_recall"] = round(by_kind[True][0] / max(by_kind[True][1], 1), 4)
    out["reported_recall"] = round(by_kind[False][0] / max(by_kind[False][1], 1), 4)
    out.update({"gold_quotes": float(n_gold), "system_quotes": float(n_sys)})
    return out


def _occurrence(text: str, name: str, n: int) -> tuple[int, int] | None:
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    return (starts[n], starts[n] + len(name)) if n < len(starts) else None


def score_places(path: str | Path | None = None, *, split: str | None = None,
                 verbose: bool = False) -> dict[str, float]:
    from diurna.facts.places import PlaceStep

    step = PlaceStep()
    n_gold = found = country_ok = precision_ok = n_sys = sys_ok = 0
    for record in _records(path or _default("places.jsonl"), split):
        article = _analyse(record, step)
        system = article.places
        seen: dict[str, int] = {}
        spans = []
        for g in record["places"]:
            n_gold += 1
            span = ((g["start"], g["start"] + len(g["name"])) if "start" in g
                    else _occurrence(record["text"], g["name"], seen.get(g["name"], 0)))
            seen[g["name"]] = seen.get(g["name"], 0) + 1
            spans.append(span)
            hit = next((p for p in system if span and p["start"] < span[1]
                        and span[0] < p["end"]), None)
            if hit is None:
                if verbose:
                    print(f"{record['id']} missed: {g['name']} ({g['country']})")
                continue
            found += 1
            country_ok += hit["country"] == g["country"]
            precision_ok += hit["precision"] == g["precision"]
            if verbose and hit["country"] != g["country"]:
                print(f"{record['id']} country: {g['name']} gold {g['country']}"
                      f" / system {hit['country']} ({hit['name']})")
        for p in system:
            n_sys += 1
            sys_ok += any(s and p["start"] < s[1] and s[0] < p["end"] for s in spans)
            if verbose and not any(s and p["start"] < s[1] and s[0] < p["end"] for s in spans):
                print(f"{record['id']} extra: {p['text']} -> {p['name']} ({p['country']})")
    return {
        "name_recall": round(found / n_gold, 4) if n_gold else 0.0,
        "country_accuracy": round(country_ok / found, 4) if found else 0.0,
        "country_accuracy_all": round(country_ok / n_gold, 4) if n_gold else 0.0,
        "precision_accuracy": round(precision_ok / found, 4) if found else 0.0,
        "mention_precision": round(sys_ok / n_sys, 4) if n_sys else 0.0,
        "gold_places": float(n_gold), "system_places": float(n_sys),
    }


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    part = next((a for a in sys.argv[1:] if a in ("dev", "heldout")), None)
    print(json.dumps({"split": part or "all",
                      "quotes": score_quotes(split=part, verbose=verbose),
                      "places": score_places(split=part, verbose=verbose)}, indent=2))
