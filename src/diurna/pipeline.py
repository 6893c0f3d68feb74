"""Steps and pipelines.

A step is any callable ``Article -> Article`` with a ``name``: it adds fields to the record and
never rewrites what an earlier step produced. A :class:`Pipeline` runs steps in order and turns
an exception inside a step into a failed article with the step's name and the error, so that one
bad article never stops a batch.

Ingestion runs two pipelines: *prepare* (identity, clean, language: cheap, in the driver, so that
deduplication sees every article in order) and *analyse* (NLP and coding: expensive, run by an
executor in worker processes or on a cluster).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from diurna.article import Article
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT, ArticleTimeout, deadline


class Step(Protocol):
    name: str

    def __call__(self, article: Article) -> Article: ...


@runtime_checkable
class BatchStep(Protocol):
    """A step that is faster on many articles at once (spaCy's ``nlp.pipe``)."""

    name: str

    def __call__(self, article: Article) -> Article: ...

    def batch(self, articles: Sequence[Article]) -> list[Article]: ...


RUNNABLE = ("ok",)
"""Statuses that later steps still work on; duplicates, non-English and failed articles stop."""


@dataclass
class Pipeline:
    """Steps run in order over a batch of articles.

    ``timeout`` bounds the seconds one article may spend in the pipeline (None: no limit). A
    batch step gets the batch's combined time; if it runs out, the batch is re-run article by
    article so that only the slow article fails, with a reason saying it timed out.
    """

    steps: Sequence[Step] = field(default_factory=list)
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT

    def __call__(self, article: Article) -> Article:
        return self.run_batch([article])[0]

    def run_batch(self, articles: Sequence[Article]) -> list[Article]:
        """Run every step over ``articles``, batch-wise where a step supports it."""
        out = list(articles)
        spent: dict[int, float] = {id(a): 0.0 for a in out}
        for step in self.steps:
            runnable = [a for a in out if a.status in RUNNABLE]
            if not runnable:
                break
            if isinstance(step, BatchStep) and len(runnable) > 1:
                started = time.monotonic()
                budget = self._left(runnable, spent)
                try:
                    with deadline(budget):
                        step.batch(runnable)
                    share = (time.monotonic() - started) / len(runnable)
                    for article in runnable:
                        spent[id(article)] += share
                    continue
                except (Exception, ArticleTimeout):  # find the bad article one by one below
                    pass
            for article in runnable:
                self._run_step(step, article, spent)
        for article in out:
            article.doc = None  # Docs never leave the pipeline
        _freeze_heap_once()
        return out

    def _left(self, articles: Sequence[Article], spent: dict[int, float]) -> float | None:
        if self.timeout is None:
            return None
        return sum(max(self.timeout - spent[id(a)], 0.001) for a in articles)

    def _run_step(self, step: Step, article: Article, spent: dict[int, float]) -> None:
        left = self._left([article], spent)
        started = time.monotonic()
        try:
            with deadline(left):
                step(article)
        except ArticleTimeout:
            _fail(article, step.name, f"timed out: the article took more than {self.timeout:g} s "
                  "(the per-article time limit; raise it with --timeout)")
        except Exception as exc:  # one bad article must never stop the batch
            _fail(article, step.name, f"failed: {type(exc).__name__}: {exc}")
        finally:
            spent[id(article)] += time.monotonic() - started

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]


_heap_frozen = False


def _freeze_heap_once() -> None:
    """After the first batch has loaded the model, the actor dictionary and the gazetteer
    (millions of long-lived objects), move them out of the garbage collector's sight: full
    collections otherwise walk them again and again, about 3% of the analysis time."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


def _fail(article: Article, step_name: str, what: str) -> None:
    article.status = "failed"
    article.status_reason = f"{article.source or article.id}: {step_name} step {what}"
    article.failed_step = step_name


def prepare_pipeline(timeout: float | None = DEFAULT_ARTICLE_TIMEOUT) -> Pipeline:
    """Identity, boilerplate removal, dateline and language identification."""
    from diurna.clean.boilerplate import BoilerplateStep
    from diurna.clean.dateline import DatelineStep
    from diurna.clean.dedup import IdentityStep
    from diurna.clean.language import LanguageStep

    return Pipeline([IdentityStep(), BoilerplateStep(), DatelineStep(), LanguageStep()],
                    timeout=timeout)


def analyse_pipeline(
    model: str | None = None, timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
) -> Pipeline:
    """Parsing, actors, events and the facts around them: the expensive part, run by an
    executor."""
    from diurna.actors.step import ActorStep
    from diurna.events.step import EventStep
    from diurna.export.tone import ToneStep
    from diurna.facts.counts import CountStep
    from diurna.facts.dates import DateStep
    from diurna.facts.places import PlaceStep
    from diurna.facts.quotes import QuoteStep
    from diurna.graph.relations import RelationStep
    from diurna.nlp.step import NLPStep

    # Quotes before events (a "we" inside a quote is its speaker's side); counts before dates
    # (dates are given to counts too); places after both, so that counts get a location as well;
    # relations last, reading events and dates (the Doc is dropped when the pipeline ends).
    return Pipeline(
        [NLPStep(model), ActorStep(), QuoteStep(), EventStep(), CountStep(), DateStep(),
         PlaceStep(), RelationStep(), ToneStep()],
        timeout=timeout,
    )
