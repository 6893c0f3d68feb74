"""``ingest``: read → prepare → deduplicate → analyse → store, resumable and idempotent.

Articles are written in batches, each in one transaction. An interrupted run leaves whole
batches behind; running it again skips every article already stored (same id) and finishes the
rest, so nothing is lost or duplicated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from diurna.article import Article, Failure
from diurna.clean.dedup import Deduplicator, Verdict
from diurna.clean.split import DEFAULT_SPLIT_CHARS, split_long_article
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT
from diurna.executors.local import LocalExecutor
from diurna.graph.event_dedup import rebuild_clusters
from diurna.pipeline import Pipeline, analyse_pipeline, prepare_pipeline
from diurna.readers import ReadOptions, read_paths
from diurna.readers.decode import DEFAULT_MAX_BYTES
from diurna.store import DatabaseBusy, DatabaseDamaged, Store

DEFAULT_BATCH_SIZE = 256
"""Articles per write. Each write opens the file, commits one transaction and checkpoints, so
readers get in between writes; 256 keeps that overhead near 1% of the analysis, and a crash
costs at most 256 articles' analysis, redone by the next run."""


_KEPT_FAILURE_MESSAGES = 20


class Executor(Protocol):
    """Anything that maps a pipeline over articles: LocalExecutor, DaskExecutor."""

    def map(self, pipeline: Pipeline, articles: Iterable[Article]) -> Iterator[Article]: ...


@dataclass
class IngestSummary:
    read: int = 0  # articles read (failed reads not included)
    new: int = 0  # stored and coded
    unchanged: int = 0  # already in the database: skipped
    duplicate: int = 0  # same text as another article: stored and linked, not coded
    non_english: int = 0
    failed: int = 0  # unreadable inputs plus articles whose processing failed
    skipped_files: list[str] = field(default_factory=list)
    shards: int = 0  # sharded ingest: shards planned, and those already done by an earlier run
    shards_skipped: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)  # the first few reasons, for the summary

    def note_failure(self, reason: str, *, count: bool = True) -> None:
        """Count a failure (unless already counted) and keep its reason if among the first few
        (all of them are in the failures table)."""
        if count:
            self.failed += 1
        if len(self.failures) < _KEPT_FAILURE_MESSAGES:
            self.failures.append(reason)

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0: everything went in; 1: some inputs failed; 2: nothing could be read."""
        if self.failed == 0:
            return 0
        return 2 if self.read == 0 else 1

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "new": self.new,
            "unchanged": self.unchanged,
            "duplicate": self.duplicate,
            "non_english": self.non_english,
            "failed": self.failed,
            "skipped_files": len(self.skipped_files),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.rate, 2),
        }



def ingest(
    paths: Iterable[str | Path],
    db: str | Path | None = None,
    *,
    workers: int = 1,
    model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_article: Callable[[IngestSummary], None] | None = None,
    executor: Executor | None = None,
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
    split_chars: int = DEFAULT_SPLIT_CHARS,
) -> IngestSummary:
    """Ingest every article under ``paths`` into the database ``db`` and return a summary.

    ``executor`` runs the analysis (default: :class:`LocalExecutor` with ``workers`` processes;
    a :class:`~diurna.executors.dask.DaskExecutor` runs it on a Dask cluster). Whatever runs
    the analysis, this driver stays the only writer of the database. ``timeout`` bounds the
    seconds one article may take (None: no limit); an article over it fails with that reason.
    An article longer than ``split_chars`` characters is analysed and stored in parts.
    """
    started = time.perf_counter()
    summary = IngestSummary()
    options = ReadOptions(max_bytes=max_bytes)
    prepare = prepare_pipeline(timeout)
    analyse = analyse_pipeline(model, timeout)
    pending_failures: list[Failure] = []

    def note_failure(failure: Failure) -> None:
        summary.note_failure(failure.reason)
        pending_failures.append(failure)

    # keep_open=False: the store holds the file only while it writes a batch (and for the two
    # short sessions below), so that readers such as 'diurna serve' get in between batches.
    with Store(db, keep_open=False) as store:
        with store.session():
            dedup = Deduplicator(store.known_ids(), store.known_hashes())

        def to_analyse() -> Iterator[Article]:
            for item in read_paths(paths, options):
                if isinstance(item, Failure):
                    note_failure(item)
                    if on_article:
                        on_article(summary)
                    continue
                summary.read += 1
                for article in split_long_article(prepare(item), split_chars):
                    verdict = dedup.check(article)
                    if verdict is Verdict.UNCHANGED:
                        summary.unchanged += 1
                        if on_article:
                            on_article(summary)
                        continue
                    yield article

        batch: list[Article] = []
        for article in (executor or LocalExecutor(workers)).map(analyse, to_analyse()):
            _count(article, summary, note_failure)
            if article.status != "failed":  # failed articles are retried by the next run
                batch.append(article)
            if len(batch) >= batch_size:
                write_batch(store, batch, pending_failures, summary)
                batch, pending_failures[:] = [], []
            if on_article:
                on_article(summary)
        write_batch(store, batch, pending_failures, summary)
        # Cross-article event clusters (GDELT's mentions) are rebuilt from the stored events.
        with store.session():
            rebuild_clusters(store)
    summary.skipped_files = options.skipped
    summary.seconds = time.perf_counter() - started
    return summary


def write_batch(
    store: Store, batch: list[Article], failures: list[Failure], summary: IngestSummary
) -> None:
    """Write ``batch`` in one transaction; if it cannot be stored, store its articles one by
    one, so that one article the database refuses (a value out of range, say) fails alone with
    its reason instead of stopping the run. A busy or damaged database stops the run."""
    try:
        store.write(batch, failures)
        return
    except (DatabaseBusy, DatabaseDamaged):
        raise
    except Exception:  # find the article the database refuses, below
        pass
    stored_failures = list(failures)
    for article in batch:
        try:
            store.write([article])
        except (DatabaseBusy, DatabaseDamaged):
            raise
        except Exception as exc:
            where = article.source or article.id
            reason = f"{where}: could not be stored: {type(exc).__name__}: {exc}"
            stored_failures.append(Failure(where, reason, stage="store", article_id=article.id))
            summary.new -= article.status == "ok"
            summary.note_failure(reason)
    store.write([], stored_failures)


def _count(article: Article, summary: IngestSummary, note: Callable[[Failure], None]) -> None:
    if article.status == "ok":
        summary.new += 1
    elif article.status == "duplicate":
        summary.duplicate += 1
    elif article.status == "non_english":
        summary.non_english += 1
    else:
        note(
            Failure(
                article.source or article.id,
                article.status_reason or "processing failed",
                stage=article.failed_step or "clean",
                article_id=article.id,
            )
        )
