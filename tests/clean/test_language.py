"""Offline language identification and the language step."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.article import Article
from diurna.clean.language import LanguageStep, detect_language

ENGLISH = (
    "The foreign ministers of both countries met in Vienna on Monday to discuss the crisis "
    "in the region and agreed to meet again next month."
)
GERMAN = (
    "Die Außenminister beider Länder trafen sich am Montag in Wien, um über die Krise in der "
    "Region zu beraten, und vereinbarten ein weiteres Treffen im nächsten Monat."
)
FRENCH = (
    "Les ministres des affaires étrangères des deux pays se sont réunis lundi à Vienne pour "
    "discuter de la crise dans la région et ont convenu de se revoir le mois prochain."
)


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (GERMAN, "de"), (FRENCH, "fr")])
def test_detect_language(text: str, code: str) -> None:
    lang, probability = detect_language(text)
    assert lang == code
    assert probability >= 0.9


@pytest.mark.parametrize("text", ["Talks resume", "Hola, amigos", "Guten Tag", "", "12 34 56"])
def test_short_text_defaults_to_english(text: str) -> None:
    assert detect_language(text) == ("en", 0.0)


def test_the_step_keeps_english_articles_runnable() -> None:
    article = Article(id="en1", text=ENGLISH, source="en.txt")
    LanguageStep()(article)
    assert (article.language, article.status, article.status_reason) == ("en", "ok", None)


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (FRENCH, "fr")])
def test_the_step_marks_non_english_with_a_reason_naming_the_source(text: str, code: str) -> None:
    article = Article(id="x1", text=text, source=f"news/{code}.txt")
    LanguageStep()(article)
    assert article.language == code
    assert article.status == "non_english"
    assert article.status_reason is not None
    assert article.status_reason.startswith(f"news/{code}.txt: detected language '{code}'")
    assert article.status_reason.endswith("only English articles are coded")


def test_the_step_treats_a_short_foreign_text_as_english() -> None:
    article = Article(id="s1", text="Guten Tag", source="short.txt")
    LanguageStep()(article)
    assert (article.language, article.status) == ("en", "ok")


def test_the_cached_identifier_classifies_as_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from diurna.clean import language

    monkeypatch.setenv("DIURNA_CACHE_DIR", str(tmp_path))
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language._identifier.cache_clear()
    try:
        language._identifier()  # builds and caches
        language._identifier.cache_clear()
        cached = language._identifier()  # reads the cache
    finally:
        language._identifier.cache_clear()
    assert len(list(tmp_path.glob("langid-*.pickle"))) == 1
    for text in ("The ministers met in Geneva on Tuesday to discuss the ceasefire terms.",
                 "Les ministres se sont réunis à Genève mardi pour discuter du cessez-le-feu.",
                 "Die Minister trafen sich am Dienstag in Genf, um die Waffenruhe zu besprechen."):
        assert cached.classify(text) == shipped.classify(text)
