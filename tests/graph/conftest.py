"""Fixtures of the graph tests: the real analysis pipeline followed by the relations step."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pytest

from diurna.article import Article
from diurna.clean.boilerplate import clean_text
from diurna.graph.relations import RelationStep
from diurna.pipeline import Pipeline, analyse_pipeline

Analyse = Callable[..., Article]


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline([*analyse_pipeline().steps, RelationStep()])


def _analyse(text: str, published: str | None = "2023-05-10", article_id: str = "t") -> Article:
    article = _pipeline()(Article(id=article_id, text=text, published=published))
    assert article.status == "ok", article.status_reason
    return article


@pytest.fixture(scope="session")
def analyse() -> Analyse:
    """``analyse(text, published=..., article_id=...)``: the article after the relations step."""
    return _analyse


@pytest.fixture(scope="session")
def sample_article(shared_dir: Path) -> Article:
    """The shared Kazakhstan sample, cleaned and analysed (published 22 February 2022)."""
    path = shared_dir / "samples" / "seed-kazakhstan-recognition.txt"
    if not path.is_file():
        pytest.skip("the shared sample article seed-kazakhstan-recognition.txt is not present")
    cleaned = clean_text(path.read_text(encoding="utf-8"))
    return _analyse(cleaned.text, "2022-02-22", "seed")

