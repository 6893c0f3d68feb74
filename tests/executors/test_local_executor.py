"""The local executor: in-process or a pool of spawned workers, results in input order, a bounded
number of batches in flight, and a killed worker turning its batches into failed articles."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

from diurna.article import Article
from diurna.executors.local import LocalExecutor
from diurna.pipeline import Pipeline


class Stamp:
    name = "stamp"

    def __call__(self, article: Article) -> Article:
        article.warnings.append(f"pid:{os.getpid()}")
        if article.id == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        return article


def _articles(n: int, read: list[str] | None = None) -> Iterator[Article]:
    for i in range(n):
        if read is not None:
            read.append(str(i))
        yield Article(id=str(i), text=f"text {i}")


def test_one_worker_runs_in_process() -> None:
    out = list(LocalExecutor(1, chunksize=3).map(Pipeline([Stamp()]), _articles(7)))
    assert [a.id for a in out] == [str(i) for i in range(7)]
    assert {a.warnings[0] for a in out} == {f"pid:{os.getpid()}"}


def test_two_workers_keep_input_order_and_use_other_processes() -> None:
    out = list(LocalExecutor(2, chunksize=2).map(Pipeline([Stamp()]), _articles(20)))
    assert [a.id for a in out] == [str(i) for i in range(20)]
    assert all(a.status == "ok" for a in out)
    assert f"pid:{os.getpid()}" not in {a.warnings[0] for a in out}


def test_the_input_is_read_only_a_bounded_way_ahead() -> None:
    read: list[str] = []
    results = LocalExecutor(2, chunksize=2).map(Pipeline([Stamp()]), _articles(200, read))
    next(results)
    # 2 workers x 2 batches in flight x 2 articles, plus the batch being assembled.
    assert len(read) <= 12
    rest = list(results)
    assert len(rest) == 199 and len(read) == 200


def test_a_killed_worker_fails_its_batches_with_a_reason() -> None:
    articles = [Article(id="a"), Article(id="die", source="in.jsonl:2"), Article(id="c")]
    out = list(LocalExecutor(2, chunksize=1).map(Pipeline([Stamp()]), iter(articles)))
    assert [a.id for a in out] == ["a", "die", "c"]
    dead = out[1]
    assert dead.status == "failed" and dead.failed_step == "worker"
    assert dead.status_reason is not None and dead.status_reason.startswith("in.jsonl:2: worker")
