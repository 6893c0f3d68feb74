"""Shards: batches of articles in flight on an executor, a bounded number at a time, in order.

An executor that submits work asynchronously (Dask) should neither read a whole corpus into
memory nor let results pile up. :func:`bounded_in_order` keeps at most ``window`` batches
submitted and yields their results in the order the batches were read, so a driver can write
each batch as it was read and memory stays flat however large the input is.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from diurna.article import Article

T = TypeVar("T")  # the handle of a submitted batch (a Dask future)


class Shard(Generic[T]):
    """One submitted batch: the articles sent (kept to mark them failed if the task is lost)
    and the handle to wait on."""

    __slots__ = ("articles", "handle")

    def __init__(self, articles: list[Article], handle: T) -> None:
        self.articles = articles
        self.handle = handle


def bounded_in_order(
    batches: Iterable[list[Article]],
    submit: Callable[[list[Article]], T],
    wait: Callable[[T], list[Article]],
    window: int,
    on_lost: Callable[[list[Article], BaseException], list[Article]] | None = None,
) -> Iterator[Article]:
    """Submit ``batches`` with at most ``window`` in flight; yield results in input order.

    ``wait(handle)`` returns the processed batch. If it raises (a worker died, the task could
    not be deserialised) ``on_lost(articles, error)`` turns the batch into failed articles; if
    ``on_lost`` is None the error propagates.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    in_flight: deque[Shard[T]] = deque()

    def finish(shard: Shard[T]) -> list[Article]:
        try:
            return wait(shard.handle)
        except Exception as exc:
            if on_lost is None:
                raise
            return on_lost(shard.articles, exc)

    for batch in batches:
        if len(in_flight) >= window:
            yield from finish(in_flight.popleft())
        in_flight.append(Shard(batch, submit(batch)))
    while in_flight:
        yield from finish(in_flight.popleft())


def mark_lost(
    articles: list[Article], error: BaseException, where: str = "executor"
) -> list[Article]:
    """Mark every article of a batch whose task was lost as failed (retried by the next run)."""
    for article in articles:
        article.status = "failed"
        article.status_reason = (
            f"{article.source or article.id}: {where} lost the batch: "
            f"{type(error).__name__}: {error}"
        )
        article.failed_step = where
        article.doc = None
    return articles
