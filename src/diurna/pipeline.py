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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from diurna.article import Article


class Step(Protocol):
    name: str

    def __call__(self, article: Article) -> Article: ...


RUNNABLE = ("ok",)
"""Statuses that later steps still work on; duplicates, non-English and failed articles stop."""


@dataclass
class Pipeline:
    steps: Sequence[Step] = field(default_factory=list)

    def __call__(self, article: Article) -> Article:
        for step in self.steps:
            if article.status not in RUNNABLE:
                break
            try:
                article = step(article)
            except Exception as exc:  # one bad article must never stop the batch
                article.status = "failed"
                article.status_reason = (
                    f"{article.source or article.id}: {step.name} step failed: "
                    f"{type(exc).__name__}: {exc}"
                )
                article.failed_step = step.name
        return article

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]


def prepare_pipeline() -> Pipeline:
    """Identity, boilerplate removal and language identification."""
    from diurna.clean.boilerplate import BoilerplateStep
    from diurna.clean.dedup import IdentityStep
    from diurna.clean.language import LanguageStep

    return Pipeline([IdentityStep(), BoilerplateStep(), LanguageStep()])


def analyse_pipeline(model: str | None = None) -> Pipeline:
    """The NLP and coding steps (filled in as they are built)."""
    return Pipeline([])
