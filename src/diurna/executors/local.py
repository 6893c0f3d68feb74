"""Run a pipeline in this process or in N local worker processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from diurna.article import Article
from diurna.executors.shards import bounded_in_order, mark_lost
from diurna.pipeline import Pipeline

# Each worker is one process on one core: numeric libraries must not start a thread per core
# in every worker as well, or N workers fight over N cores with N x N threads. Dask's
# LocalCluster sets the same variables for its worker processes.
_ONE_THREAD = {name: "1" for name in (
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
)}

_worker_pipeline: Pipeline | None = None


def _one_thread() -> None:
    os.environ.update(_ONE_THREAD)


def _init_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _one_thread()
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


# Articles analysed per nlp.pipe call, by every executor and by a shard's worker: enough for
# spaCy to batch well, few enough that a worker holds little (64 was 1-2% faster but took a
# sharded worker's peak RSS from 560 to 820 MB).
DEFAULT_CHUNKSIZE = 16


class LocalExecutor:
    """``workers=1`` runs in-process; more starts a pool of spawned processes.

    Articles travel in chunks of ``chunksize`` so that batch steps (``nlp.pipe``) see many at
    once. Each worker receives the pipeline once and keeps it (so a spaCy model loads once per
    process). Results come back in input order, so that a batch can be written as it was read.
    At most ``2 × workers`` chunks are in flight: ``Pool.imap`` would read the whole input ahead
    of the workers, and memory would grow with the corpus.
    """

    def __init__(self, workers: int = 1, chunksize: int = DEFAULT_CHUNKSIZE) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.chunksize = chunksize

    def _pool(self, initializer: Any = None, initargs: tuple[Any, ...] = ()) -> Any:
        context = multiprocessing.get_context("spawn")
        saved = {name: os.environ.get(name) for name in _ONE_THREAD}
        os.environ.update(_ONE_THREAD)  # inherited by the spawned workers before numpy loads
        try:
            # concurrent.futures rather than multiprocessing.Pool: if a worker is killed, its
            # futures fail (BrokenProcessPool) instead of waiting forever.
            return ProcessPoolExecutor(self.workers, mp_context=context,
                                       initializer=initializer, initargs=initargs)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def run_each(
        self, fn: Callable[..., Any], items: Iterable[Any], *args: Any
    ) -> Iterator[tuple[Any, Any]]:
        """``(item, fn(item, *args))`` as each finishes, at most ``2 × workers`` running; a
        call that raised (or whose worker died) gives its exception instead of a result."""
        if self.workers == 1:
            for item in items:
                try:
                    yield item, fn(item, *args)
                except Exception as exc:
                    yield item, exc
            return
        with self._pool(initializer=_one_thread) as pool:
            running: dict[Future[Any], Any] = {}
            queue = iter(items)
            while True:
                for item in queue:
                    running[pool.submit(fn, item, *args)] = item
                    if len(running) >= 2 * self.workers:
                        break
                if not running:
                    return
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    item = running.pop(future)
                    error = future.exception()
                    yield item, error if error is not None else future.result()

    def map(self, pipeline: Pipeline, articles: Iterable[Article]) -> Iterator[Article]:
        batches = chunks(articles, self.chunksize)
        if self.workers == 1 or not pipeline.steps:
            for batch in batches:
                yield from pipeline.run_batch(batch)
            return
        pool = self._pool(initializer=_init_worker, initargs=(pipeline,))
        with pool:

            def submit(batch: list[Article]) -> Any:
                for article in batch:
                    article.doc = None  # Docs never travel
                return pool.submit(_run_in_worker, batch)

            yield from bounded_in_order(
                batches, submit, lambda future: future.result(), 2 * self.workers,
                on_lost=lambda lost, error: mark_lost(lost, error, where="worker"),
            )
