"""Pipelines: steps in order; an exception in a step fails that article, never the batch."""

from __future__ import annotations

import threading
import time
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


class Sleepy:
    """Sleeps (interruptibly) on articles whose id says so: a step that would hang."""

    name = "sleepy"

    def __call__(self, article: Article) -> Article:
        if "slow" in article.id:
            time.sleep(30)
        article.warnings.append(self.name)
        return article


class SleepyBatch(Sleepy):
    name = "sleepy-batch"

    def batch(self, articles: Sequence[Article]) -> list[Article]:
        for article in articles:
            self(article)
        return list(articles)


class Swallower:
    """A step that catches every Exception: the time limit must still get through it."""

    name = "swallower"

    def __call__(self, article: Article) -> Article:
        try:
            time.sleep(30)
        except Exception:
            article.warnings.append("swallowed")
        return article


def test_a_hanging_step_fails_only_its_article_with_a_timeout_reason() -> None:
    started = time.monotonic()
    out = Pipeline([Sleepy(), Mark("after")], timeout=0.3).run_batch(
        [Article(id="fast-1"), Article(id="slow-2", source="feed.jsonl:2"), Article(id="fast-3")]
    )
    assert time.monotonic() - started < 5
    assert [a.status for a in out] == ["ok", "failed", "ok"]
    assert out[1].failed_step == "sleepy"
    assert out[1].status_reason is not None
    assert out[1].status_reason.startswith("feed.jsonl:2: sleepy step timed out")
    assert "--timeout" in out[1].status_reason
    assert out[0].warnings == ["sleepy", "after"] and out[1].warnings == []


def test_a_batch_that_runs_out_of_time_is_retried_one_by_one() -> None:
    out = Pipeline([SleepyBatch()], timeout=0.3).run_batch(
        [Article(id="fast-1"), Article(id="slow-2"), Article(id="fast-3")]
    )
    assert [a.status for a in out] == ["ok", "failed", "ok"]
    assert out[1].status_reason is not None and "timed out" in out[1].status_reason


def test_a_step_catching_exceptions_cannot_swallow_the_time_limit() -> None:
    [out] = Pipeline([Swallower()], timeout=0.2).run_batch([Article(id="a")])
    assert out.status == "failed" and "swallowed" not in out.warnings


def test_the_time_limit_is_per_article_across_steps() -> None:
    class Nap:
        name = "nap"

        def __call__(self, article: Article) -> Article:
            time.sleep(0.15)
            return article

    out = Pipeline([Nap(), Nap(), Nap()], timeout=0.35).run_batch([Article(id="a")])
    assert out[0].status == "failed" and out[0].failed_step == "nap"


def test_no_time_limit_when_timeout_is_none() -> None:
    [out] = Pipeline([Mark("one")], timeout=None).run_batch([Article(id="a")])
    assert out.status == "ok"


def test_without_an_alarm_the_overrun_is_caught_between_steps() -> None:
    """In a thread (as on a Dask worker) SIGALRM cannot be used: the step runs to its end and
    the article still fails as timed out, and later steps do not run."""
    results: list[Article] = []

    class Nap:
        name = "nap"

        def __call__(self, article: Article) -> Article:
            time.sleep(0.3)
            return article

    def run() -> None:
        results.extend(Pipeline([Nap(), Mark("after")], timeout=0.1).run_batch(
            [Article(id="a")]))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert results[0].status == "failed" and "timed out" in (results[0].status_reason or "")
    assert results[0].warnings == []
