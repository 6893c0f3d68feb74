"""Run a pipeline in this process or in N local worker processes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator

from diurna.article import Article
from diurna.pipeline import Pipeline

_worker_pipeline: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline


def _run_in_worker(articles: list[Article]) -> list[Article]:
    assert _worker_pipeline is not None, "worker started without a pipeline"
    return _worker_pipeline.run_batch(articles)


def chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class LocalExecutor:
    """``workers=1`` runs in-process; more starts a pool of spawned processes.

    Articles travel in chunks of ``chunksize`` so that batch steps (``nlp.pipe``) see many at
    once. Each worker receives the pipeline once and keeps it (so a spaCy model loads once per
    process). Results come back in input order, so that a batch can be written as it was read.
    """

    def __init__(self, workers: int = 1, chunksize: int = 16) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.chunksize = chunksize

    def map(self, pipeline: Pipeline, articles: Iterable[Article]) -> Iterator[Article]:
        batches = chunks(articles, self.chunksize)
        if self.workers == 1 or not pipeline.steps:
            for batch in batches:
                yield from pipeline.run_batch(batch)
            return
        context = multiprocessing.get_context("spawn")
        with context.Pool(self.workers, initializer=_init_worker, initargs=(pipeline,)) as pool:
            for batch in pool.imap(_run_in_worker, batches):
                yield from batch
