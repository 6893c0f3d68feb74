"""Validate the project's gold corpora and print their coverage.

Checks ``events.jsonl`` (event codes, modality, tags, coverage),
``actors.jsonl`` (exact character offsets, codes, kinds, coverage) and the
example records the actor gold points into.

CAMEO codes are checked against the ontology (CAMEO 1.1b3) and dev-set
references against ``shared/eval/*_dev.jsonl``. ``shared/`` is looked up from
``--shared``, then ``$DIURNA_SHARED``, then next to the repository. When it cannot
be found, those checks are skipped with a notice and everything else still runs.

Usage::

    python eval/gold/check_gold.py [--shared PATH] [--quiet]

Exits with 1 when any check fails.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

GOLD = Path(__file__).resolve().parent
REPO = GOLD.parents[1]

MODALITIES = {"asserted", "negated", "future", "hypothetical"}
MODALITY_TAG = {"negated": "negation", "future": "future", "hypothetical": "hypothetical"}
ROOT_TAGS = {f"root{i:02d}" for i in range(1, 21)}
OTHER_TAGS = {
    "negation",
    "future",
    "hypothetical",
    "passive",
    "nominal",
    "compound",
    "reported_speech",
    "noevent",
    "quote",
}
KINDS = {"state", "igo", "person", "group", "region", "unknown"}
REGION_CODES = {"UKRDPR", "UKRLPR", "UKRCRI"}
CODE_RE = re.compile(r"^[A-Z]{3}[A-Z]{0,6}$")

# Minimum coverage of events.jsonl (sentences carrying each tag / root).
EVENT_MINIMA = {
    "sentences": 220,
    "negation": 25,
    "future": 15,
    "hypothetical": 12,
    "passive": 20,
    "nominal": 20,
    "compound": 15,
    "reported_speech": 15,
    "noevent": 20,
    "countries": 40,
}
ROOT_MINIMUM = 8
# Minimum coverage of actors.jsonl (own and example sentences; dev references apart).
ACTOR_MINIMA = {"mentions": 170, "sentences": 50}


class Report:
    """Collects errors so that one run shows all of them."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")


def find_shared(arg: str | None) -> Path | None:
    for cand in (arg, os.environ.get("DIURNA_SHARED"), REPO.parent / "shared"):
        if cand and (Path(cand) / "reference" / "cameo-codes.json").is_file():
            return Path(cand)
    return None


def read_jsonl(path: Path, rep: Report) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                rep.error(f"{path.name}:{n}", f"invalid JSON: {exc}")
    return rows


def expected_country(code: str | None) -> str | None:
    if code is None or code.startswith("IGO"):
        return None
    return code[:3]


def check_code(where: str, code: str | None, country: str | None, rep: Report) -> None:
    if code is not None and not CODE_RE.match(code):
        rep.error(where, f"malformed actor code {code!r}")
    if country != expected_country(code):
        rep.error(where, f"country {country!r} does not match code {code!r}")


# --------------------------------------------------------------------------- events
def check_events(path: Path, cameo: dict | None, rep: Report) -> dict:
    rows = read_jsonl(path, rep)
    ids: set[str] = set()
    texts: set[str] = set()
    tag_counts: Counter[str] = Counter()
    root_sentences: Counter[str] = Counter()
    event_roots: Counter[str] = Counter()
    modality_events: Counter[str] = Counter()
    countries: set[str] = set()
    n_events = 0
    for r in rows:
        rid = r.get("id", "?")
        for key in ("id", "text", "published", "tags", "noevents", "events"):
            if key not in r:
                rep.error(rid, f"missing key {key!r}")
        if rid in ids:
            rep.error(rid, "duplicate id")
        ids.add(rid)
        text = r.get("text", "")
        if text in texts:
            rep.error(rid, "duplicate text")
        texts.add(text)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(r.get("published", ""))):
            rep.error(rid, "published must be YYYY-MM-DD")
        events = r.get("events", [])
        tags = set(r.get("tags", []))
        for t in tags - ROOT_TAGS - OTHER_TAGS:
            rep.error(rid, f"unknown tag {t!r}")
        if bool(r.get("noevents")) != (not events):
            rep.error(rid, "noevents must be true exactly when events is empty")
        if ("noevent" in tags) != (not events):
            rep.error(rid, "tag 'noevent' must be set exactly when events is empty")
        roots = set()
        for k, ev in enumerate(events):
            where = f"{rid} event {k}"
            n_events += 1
            code = ev.get("cameo")
            if code is not None:
                if not re.match(r"^\d{2,4}$", str(code)):
                    rep.error(where, f"malformed cameo {code!r}")
                elif cameo is not None and code not in cameo:
                    rep.error(where, f"cameo {code!r} is not a CAMEO 1.1b3 code of the ontology")
                roots.add(f"root{str(code)[:2]}")
                event_roots[str(code)[:2]] += 1
            if ev.get("modality") not in MODALITIES:
                rep.error(where, f"bad modality {ev.get('modality')!r}")
            modality_events[ev.get("modality")] += 1
            for side in ("source", "target"):
                check_code(
                    f"{where} {side}", ev.get(f"{side}_code"), ev.get(f"{side}_country"), rep
                )
                if ev.get(f"{side}_country"):
                    countries.add(ev[f"{side}_country"])
            trig = ev.get("trigger")
            if trig and trig.lower() not in text.lower():
                rep.error(where, f"trigger {trig!r} not in text")
        if roots != tags & ROOT_TAGS:
            rep.error(rid, f"root tags {sorted(tags & ROOT_TAGS)} != event roots {sorted(roots)}")
        for mod, tag in MODALITY_TAG.items():
            has = any(ev.get("modality") == mod for ev in events)
            if has and tag not in tags:
                rep.error(rid, f"has a {mod} event but no {tag!r} tag")
            if tag in tags and not has:
                rep.error(rid, f"tag {tag!r} without a {mod} event")
        if "compound" in tags and len(events) < 2:
            rep.error(rid, "tag 'compound' needs at least two events")
        for t in tags:
            tag_counts[t] += 1
        for root in roots:
            root_sentences[root] += 1

    coverage = {
        "sentences": len(rows),
        "events": n_events,
        "countries": len(countries),
        **{t: tag_counts[t] for t in sorted(OTHER_TAGS)},
    }
    for key, minimum in EVENT_MINIMA.items():
        if coverage.get(key, 0) < minimum:
            rep.error(path.name, f"coverage: {key} = {coverage.get(key, 0)} < {minimum}")
    for i in range(1, 21):
        root = f"root{i:02d}"
        if root_sentences[root] < ROOT_MINIMUM:
            rep.error(
                path.name, f"coverage: {root} has {root_sentences[root]} sentences < {ROOT_MINIMUM}"
            )
    coverage["roots"] = {r: root_sentences[r] for r in sorted(root_sentences)}
    coverage["events_per_root"] = dict(sorted(event_roots.items()))
    coverage["modality_events"] = dict(modality_events)
    return coverage


# --------------------------------------------------------------------------- actors
def example_text(rel: str) -> str:
    """The text of an example file as a reader would see it (HTML unescaped, JSONL fields)."""
    path = REPO / rel
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return html.unescape(re.sub(r"<[^>]+>", " ", raw))
    if path.suffix == ".jsonl":
        parts = []
        for line in raw.splitlines():
            if line.strip():
                rec = json.loads(line)
                parts += [rec.get("title", ""), rec.get("text", "")]
                if "html" in rec:
                    parts.append(html.unescape(re.sub(r"<[^>]+>", " ", rec["html"])))
        return "\n".join(parts)
    return raw


def load_dev(shared: Path | None) -> dict[str, str] | None:
    if shared is None:
        return None
    texts = {}
    for name in ("plover_dev.jsonl", "upetr_dev.jsonl"):
        p = shared / "eval" / name
        if p.is_file():
            for line in p.open(encoding="utf-8"):
                if line.strip():
                    rec = json.loads(line)
                    texts[rec["id"]] = rec["text"]
    return texts


def check_actors(path: Path, dev: dict[str, str] | None, rep: Report) -> dict:
    rows = read_jsonl(path, rep)
    ids: set[str] = set()
    kinds: Counter[str] = Counter()
    own_sentences = own_mentions = dev_rows = dev_mentions = skipped = 0
    from_examples = 0
    for r in rows:
        rid = r.get("id", "?")
        if rid in ids:
            rep.error(rid, "duplicate id")
        ids.add(rid)
        if "ref" in r:
            if dev is None:
                skipped += 1
                text = None
            elif r["ref"] not in dev:
                rep.error(rid, f"unknown dev reference {r['ref']!r}")
                continue
            else:
                text = dev[r["ref"]]
            if "text" in r:
                rep.error(rid, "a dev reference must not copy the dev text")
            dev_rows += 1
            dev_mentions += len(r.get("mentions", []))
        else:
            text = r.get("text")
            if not text:
                rep.error(rid, "needs 'text' or 'ref'")
                continue
            if "example" in r:
                from_examples += 1
                try:
                    if text not in example_text(r["example"]):
                        rep.error(rid, f"text not found in {r['example']}")
                except OSError as exc:
                    rep.error(rid, f"cannot read example: {exc}")
            own_sentences += 1
            own_mentions += len(r.get("mentions", []))
        spans = []
        for k, m in enumerate(r.get("mentions", [])):
            where = f"{rid} mention {k}"
            for key in ("text", "start", "end", "code", "country", "agent", "kind"):
                if key not in m:
                    rep.error(where, f"missing key {key!r}")
            if text is not None and text[m["start"] : m["end"]] != m["text"]:
                rep.error(
                    where,
                    f"offsets {m['start']}:{m['end']} give "
                    f"{text[m['start'] : m['end']]!r}, not {m['text']!r}",
                )
            spans.append((m["start"], m["end"]))
            if m.get("kind") not in KINDS:
                rep.error(where, f"bad kind {m.get('kind')!r}")
            kinds[m.get("kind")] += 1
            code = m.get("code")
            check_code(where, code, m.get("country"), rep)
            no_agent = code is None or code.startswith("IGO") or code in REGION_CODES
            agent = None if no_agent else (code[3:] or None)
            if m.get("agent") != agent:
                rep.error(where, f"agent {m.get('agent')!r} does not match code {code!r}")
            if (code is None) != (m.get("kind") == "unknown"):
                rep.error(where, "kind 'unknown' goes exactly with code null")
            if code and code.startswith("IGO") and m.get("kind") not in ("igo", "person"):
                rep.error(where, "an IGO code needs kind igo (or person for its officials)")
        spans.sort()
        for (a0, a1), (b0, b1) in pairwise(spans):
            if b0 < a1:
                rep.error(rid, f"overlapping mentions {a0}:{a1} and {b0}:{b1}")
    coverage = {
        "sentences": own_sentences,
        "mentions": own_mentions,
        "from_examples": from_examples,
        "dev_refs": dev_rows,
        "dev_mentions": dev_mentions,
        "kinds": dict(kinds),
    }
    if skipped:
        print(f"notice: shared/ not found, offsets of {skipped} dev references not checked")
    for key, minimum in ACTOR_MINIMA.items():
        if coverage[key] < minimum:
            rep.error(path.name, f"coverage: {key} = {coverage[key]} < {minimum}")
    return coverage


# --------------------------------------------------------------------------- examples
def check_examples(rep: Report) -> dict:
    ex = REPO / "examples"
    counts = Counter(p.suffix for p in ex.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    wire = ex / "wire.jsonl"
    if wire.is_file():
        for k, rec in enumerate(read_jsonl(wire, rep)):
            where = f"wire.jsonl record {k}"
            for key in ("id", "title", "url", "published", "source"):
                if key not in rec:
                    rep.error(where, f"missing key {key!r}")
            if ("text" in rec) == ("html" in rec):
                rep.error(where, "needs exactly one of 'text' and 'html'")
            counts["wire_records"] += 1
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", help="path to the shared/ folder")
    ap.add_argument("--quiet", action="store_true", help="print only errors")
    args = ap.parse_args(argv)
    shared = find_shared(args.shared)
    # Codes are CAMEO 1.1b3, the numbering of Diurna's ontology (see docs/event-coding.md).
    from diurna.events.ontology import all_codes

    cameo = all_codes()
    if shared is None:
        print("notice: shared/ not found, dev references are not checked")
    rep = Report()
    ev = check_events(GOLD / "events.jsonl", cameo, rep)
    ac = check_actors(GOLD / "actors.jsonl", load_dev(shared), rep)
    exm = check_examples(rep)
    if not args.quiet:
        print("events.jsonl")
        for key in ("sentences", "events", "countries"):
            print(f"  {key:16s} {ev[key]}")
        for t in sorted(OTHER_TAGS):
            print(f"  {t:16s} {ev[t]}")
        roots = ", ".join(f"{r[4:]}={n}" for r, n in ev["roots"].items())
        per_root = ", ".join(f"{r}={n}" for r, n in ev["events_per_root"].items())
        modality = ", ".join(f"{k}={v}" for k, v in sorted(ev["modality_events"].items()))
        print(f"  sentences per root: {roots}")
        print(f"  events per root:    {per_root}")
        print(f"  events by modality: {modality}")
        print("actors.jsonl")
        for key in ("sentences", "mentions", "from_examples", "dev_refs", "dev_mentions"):
            print(f"  {key:16s} {ac[key]}")
        print("  kinds: " + ", ".join(f"{k}={v}" for k, v in sorted(ac["kinds"].items())))
        print("examples: " + ", ".join(f"{k}={v}" for k, v in sorted(exm.items())))
    for e in rep.errors:
        print("ERROR", e)
    print("FAILED" if rep.errors else "OK", f"({len(rep.errors)} errors)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
