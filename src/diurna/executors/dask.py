"""Run a pipeline on a Dask cluster: a throwaway local one, or a real one by scheduler address.

Same interface as :class:`~diurna.executors.local.LocalExecutor`: ``map(pipeline, articles)``
yields processed articles in input order. Articles travel in batches of ``chunksize`` (so that
``nlp.pipe`` sees many at once); the pipeline is scattered to every worker once and each worker
process loads its spaCy model once (``load_model`` is cached per process). At most
``2 × workers`` batches are in flight, so memory stays flat on huge inputs. Workers only compute:
the driver stays the only writer to DuckDB.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any

from diurna.article import Article
from diurna.executors.allocator import local_cluster_environ, tune_allocator
from diurna.executors.local import DEFAULT_CHUNKSIZE, chunks
from diurna.executors.shards import bounded_in_order, mark_lost
from diurna.pipeline import Pipeline

LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    # The statistical profiler samples every thread's stack every 10 ms (about 3% of a worker's
    # time) for a dashboard this cluster does not have.
    "distributed.worker.profile.enabled": False,
    # Housekeeping timers wake every process's event loop (the driver hosts the scheduler and
    # the nannies): idle, a 2-worker cluster spent 3% of a core in the driver and 1.3% in each
    # worker, and on a machine whose cores the workers fill that time comes out of parsing.
    # Slower ticks keep the same checks (a blocked event loop is still reported, the memory
    # limit still pauses or restarts a worker, within a second instead of 0.1 s).
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Dask settings for the throwaway ``LocalCluster`` (a real cluster keeps its own)."""


def _run_batch(pipeline: Pipeline, articles: list[Article]) -> list[Article]:
    tune_allocator()
    return pipeline.run_batch(articles)


def _run_tuned(fn: Callable[..., Any], item: Any, *args: Any) -> Any:
    tune_allocator()
    return fn(item, *args)


class DaskExecutor:
    """``scheduler=None`` starts a ``LocalCluster`` of ``workers`` single-threaded processes
    (loopback only, no dashboard); ``scheduler="tcp://host:8786"`` connects to a running
    cluster, whose workers need Diurna and the spaCy model installed.

    Use as a context manager (or call :meth:`close`) to shut the client and any local cluster
    down; :meth:`map` also closes them when it finishes if the executor was not entered.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int = 2,
        chunksize: int = DEFAULT_CHUNKSIZE,
        in_flight: int | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if chunksize < 1:
            raise ValueError("chunksize must be at least 1")
        self.scheduler = scheduler
        self.workers = workers
        self.chunksize = chunksize
        self.in_flight = in_flight
        self._client: Any = None
        self._cluster: Any = None
        self._entered = False

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> Any:
        """Connect (or start the local cluster) and return the ``distributed.Client``."""
        if self._client is not None:
            return self._client
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler is None:
            # Workers without Dask's forced malloc trim threshold (see executors/allocator).
            environ = local_cluster_environ(
                dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ,
                                  **LOCAL_CLUSTER_CONFIG}):
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                )
            try:
                self._client = Client(self._cluster)
            except BaseException:
                self._cluster.close()
                self._cluster = None
                raise
        else:
            self._client = Client(self.scheduler)
        return self._client

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        try:
            if client is not None:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()

    def __enter__(self) -> DaskExecutor:
        self.start()
        self._entered = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._entered = False
        self.close()

    # -- work ----------------------------------------------------------------------------------

    def window(self, client: Any) -> int:
        """Batches in flight: ``in_flight`` if given, else twice the cluster's worker threads."""
        if self.in_flight is not None:
            return max(1, self.in_flight)
        if self.scheduler is None:
            return 2 * self.workers
        try:
            threads = sum(client.nthreads().values())
        except Exception:
            threads = self.workers
        return 2 * max(1, threads)

    def run_each(
        self, fn: Callable[..., Any], items: Iterable[Any], *args: Any
    ) -> Iterator[tuple[Any, Any]]:
        """``(item, fn(item, *args))`` as each task finishes on the cluster, with a bounded
        number submitted. A task whose worker dies is re-run by the scheduler on another worker
        (up to Dask's ``allowed-failures``); one that still fails gives its exception."""
        from distributed import as_completed

        owned = not self._entered and self._client is None
        client = self.start()
        try:
            window = self.window(client)
            queue = iter(items)
            pending: dict[str, Any] = {}
            completed = as_completed()

            def submit_next() -> bool:
                for item in queue:
                    future = client.submit(_run_tuned, fn, item, *args, pure=False)
                    pending[future.key] = item
                    completed.add(future)
                    return True
                return False

            for _ in range(window):
                if not submit_next():
                    break
            for future in completed:
                item = pending.pop(future.key)
                try:
                    outcome: Any = future.result()
                except Exception as exc:
                    outcome = exc
                future.release()
                submit_next()
                yield item, outcome
        finally:
            if owned:
                self.close()

    def map(self, pipeline: Pipeline, articles: Iterable[Article]) -> Iterator[Article]:
        owned = not self._entered and self._client is None
        client = self.start()
        try:
            if not pipeline.steps:
                for batch in chunks(articles, self.chunksize):
                    yield from pipeline.run_batch(batch)
                return
            shared = client.scatter(pipeline, broadcast=True)

            def submit(batch: list[Article]) -> Any:
                for article in batch:
                    article.doc = None  # Docs never travel
                return client.submit(_run_batch, shared, batch, pure=False)

            yield from bounded_in_order(
                chunks(articles, self.chunksize),
                submit,
                lambda future: future.result(),
                self.window(client),
                on_lost=functools.partial(mark_lost, where="dask"),
            )
        finally:
            if owned:
                self.close()
