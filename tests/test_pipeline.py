"""Pipelines: steps in order; an exception in a step fails that article, never the batch."""

from __future__ import annotations

from collections.abc import Sequence

from diurna.article import Article
from diurna.pipeline import Pipeline, prepare_pipeline


class Mark:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, article: Article) -> Article:
        article.warnings.append(self.name)
        return article


class Explode:
    name = "explode"

    def __call__(self, article: Article) -> Article:
        if "bad" in article.id:
            raise ValueError(f"cannot handle {article.id}")
        article.warnings.append(self.name)
        return article


class Batched:
    """A batch step whose batch call fails when a bad article is in it."""

    name = "batched"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def __call__(self, article: Article) -> Article:
        return self.batch([article])[0]

    def batch(self, articles: Sequence[Article]) -> list[Article]:
        self.batches.append(len(articles))
        if any("bad" in a.id for a in articles):
            raise RuntimeError("batch broke")
        for article in articles:
            article.warnings.append(self.name)
            article.doc = "a parsed doc"
        return list(articles)


def test_steps_run_in_order() -> None:
    pipeline = Pipeline([Mark("one"), Mark("two")])
    article = pipeline(Article(id="a"))
    assert article.warnings == ["one", "two"]
    assert pipeline.names == ["one", "two"]


def test_a_step_that_raises_fails_the_article_and_the_batch_goes_on() -> None:
    pipeline = Pipeline([Mark("one"), Explode(), Mark("three")])
    articles = [Article(id="good-1"), Article(id="bad-1", source="x.txt"), Article(id="good-2")]
    out = pipeline.run_batch(articles)
    assert [a.status for a in out] == ["ok", "failed", "ok"]
    assert out[0].warnings == ["one", "explode", "three"]
    assert out[1].warnings == ["one"]  # later steps do not run on a failed article
    assert out[1].failed_step == "explode"
    assert out[1].status_reason == "x.txt: explode step failed: ValueError: cannot handle bad-1"
    assert out[2].warnings == ["one", "explode", "three"]


def test_the_reason_names_the_id_when_there_is_no_source() -> None:
    [out] = Pipeline([Explode()]).run_batch([Article(id="bad-2")])
    assert out.status_reason == "bad-2: explode step failed: ValueError: cannot handle bad-2"


def test_a_failing_batch_step_is_retried_one_article_at_a_time() -> None:
    step = Batched()
    out = Pipeline([step]).run_batch(
        [Article(id="a"), Article(id="bad", source="b.txt"), Article(id="c")]
    )
    assert step.batches == [3, 1, 1, 1]
    assert [a.status for a in out] == ["ok", "failed", "ok"]
    assert out[1].status_reason == "b.txt: batched step failed: RuntimeError: batch broke"
    assert all(a.doc is None for a in out)  # Docs never leave the pipeline


def test_articles_that_are_not_ok_are_not_processed() -> None:
    articles = [Article(id="d", status="duplicate"), Article(id="n", status="non_english")]
    out = Pipeline([Mark("one")]).run_batch(articles)
    assert [a.warnings for a in out] == [[], []]


def test_the_prepare_pipeline() -> None:
    names = prepare_pipeline().names
    assert names[:2] == ["identity", "clean"]  # an id first, then cleaning
    assert "language" in names
    pipeline = prepare_pipeline()
    text = (
        "Talks resume in Geneva\n\nNegotiators from both countries met again in Geneva on "
        "Tuesday to discuss a ceasefire along the border.\n\nShare this article\n"
    )
    article = pipeline(Article(id="", raw=text, source="t.txt"))
    assert article.id.startswith("h-")
    assert article.title == "Talks resume in Geneva"
    assert article.language == "en"
    assert article.status == "ok"
    assert article.text.startswith("Negotiators") and "Share" not in article.text
