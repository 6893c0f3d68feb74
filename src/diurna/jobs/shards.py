"""Sharded ingest: workers read, analyse and write shards; one loader writes the database.

The streaming ingest (:mod:`diurna.jobs.ingest`) reads every article in the driver and ships
it to the workers. On a cluster that makes the driver the bottleneck and a crash loses the work
in flight, so a sharded ingest splits the inputs into *shards* (groups of small files, or byte
ranges of large JSONL and WARC files: :mod:`diurna.readers.ranges`). A worker reads its shard,
cleans, analyses and writes one Parquet file per table into ``shard_dir/<shard id>/``, renamed
into place only when complete. The driver loads each finished folder into DuckDB in one
transaction together with the shard's row in ``shards`` (:mod:`diurna.store.shard_loader`), so:

* the driver is the only writer of the database, and workers never touch it;
* a re-run (after ``kill -9`` of the driver or of a worker) skips recorded shards, loads
  folders that were finished but not loaded, and processes the rest: nothing is lost, and
  nothing is stored twice because loading skips stored ids;
* memory stays flat: a worker holds one batch of articles, the driver one shard's tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow.parquet as pq

from diurna.article import Article, Failure
from diurna.clean.dedup import Deduplicator
from diurna.clean.split import DEFAULT_SPLIT_CHARS, split_long_article
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT
from diurna.errors import InputError
from diurna.executors.local import DEFAULT_CHUNKSIZE
from diurna.graph.event_dedup import rebuild_clusters
from diurna.jobs.ingest import IngestSummary
from diurna.pipeline import analyse_pipeline, prepare_pipeline
from diurna.readers.decode import DEFAULT_MAX_BYTES
from diurna.readers.discover import ReadOptions, iter_files
from diurna.readers.ranges import Piece, plan_pieces, read_piece
from diurna.store import Store
from diurna.store.rows import ARTICLE_TABLES, FAILURES, failure_table, tables_for
from diurna.store.shard_loader import done_shards, load_shard

DEFAULT_SHARD_BYTES = 8 * 1024 * 1024
"""About 2,500 news articles: a few minutes of work for one worker, small enough to balance
two workers and to lose little when one dies."""
MAX_FILES_PER_SHARD = 200
_DONE = "_DONE.json"


@dataclass(frozen=True)
class Shard:
    id: str
    pieces: tuple[Piece, ...]
    size: int

    def describe(self) -> str:
        first = self.pieces[0]
        where = first.path if first.whole else f"{first.path} bytes {first.start:,}-"
        more = f" and {len(self.pieces) - 1} more" if len(self.pieces) > 1 else ""
        return f"shard {self.id} ({where}{more})"


@dataclass(frozen=True)
class ShardSettings:
    model: str | None = None
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
    split_chars: int = DEFAULT_SPLIT_CHARS
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = DEFAULT_CHUNKSIZE  # articles analysed at once, as in a streamed batch


@dataclass
class ShardResult:
    shard_id: str
    read: int = 0
    failed_reads: int = 0
    failed_articles: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """No article failed in analysis (those are retried by re-processing the shard)."""
        return self.failed_articles == 0


def _shard_id(pieces: Iterable[Piece]) -> str:
    keys = []
    for piece in pieces:
        stat = os.stat(piece.path)
        keys.append([os.path.abspath(piece.path), piece.start, piece.stop, stat.st_size,
                     stat.st_mtime_ns])
    return hashlib.sha1(json.dumps(keys).encode()).hexdigest()[:20]


def plan_shards(
    paths: Iterable[str | Path], options: ReadOptions, shard_bytes: int = DEFAULT_SHARD_BYTES
) -> tuple[list[Shard], list[Failure]]:
    """Shards covering every input under ``paths``, in input order, and the paths that failed."""
    if any(str(p) == "-" for p in paths):
        raise InputError("a sharded ingest reads files, not standard input ('-'): save the "
                         "input to a file, or ingest it without --shards")
    shards: list[Shard] = []
    failures: list[Failure] = []
    group: list[Piece] = []
    group_size = 0

    def close_group() -> None:
        nonlocal group, group_size
        if group:
            shards.append(Shard(_shard_id(group), tuple(group), group_size))
        group, group_size = [], 0

    for item in iter_files(paths, options):
        if isinstance(item, Failure):
            failures.append(item)
            continue
        size = item.stat().st_size
        pieces = plan_pieces(item, shard_bytes)
        if len(pieces) > 1 or size >= shard_bytes:
            close_group()
            for piece in pieces:
                stop = piece.stop if piece.stop is not None else size
                shards.append(Shard(_shard_id([piece]), (piece,), stop - piece.start))
            continue
        group.append(pieces[0])
        group_size += size
        if group_size >= shard_bytes or len(group) >= MAX_FILES_PER_SHARD:
            close_group()
    close_group()
    return shards, failures


# -- worker side ------------------------------------------------------------------------------


def run_shard(shard: Shard, shard_dir: str, settings: ShardSettings) -> ShardResult:
    """Read, prepare, analyse and write one shard as Parquet. Runs on a worker.

    If the shard's folder is already complete (an earlier attempt finished it) nothing is
    redone. The folder appears only when every file in it is written.
    """
    final = Path(shard_dir) / shard.id
    if (final / _DONE).exists():
        return ShardResult(**json.loads((final / _DONE).read_text("utf-8")))
    work = Path(shard_dir) / f"{shard.id}.tmp-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    result = ShardResult(shard.id)
    prepare = prepare_pipeline(settings.timeout)
    analyse = analyse_pipeline(settings.model, settings.timeout)
    options = ReadOptions(max_bytes=settings.max_bytes)
    writers: dict[str, pq.ParquetWriter] = {}
    failures: list[Failure] = []
    dedup = Deduplicator()  # duplicates inside the shard; across shards the loader decides

    def write(batch: list[Article]) -> None:
        kept = []
        for article in analyse.run_batch(batch):
            if article.status == "failed":
                result.failed_articles += 1
                failures.append(Failure(article.source or article.id,
                                        article.status_reason or "processing failed",
                                        stage=article.failed_step or "analyse",
                                        article_id=article.id))
            else:
                kept.append(article)
        stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for name, table in tables_for(kept, stamp).items():
            if name not in writers:
                writers[name] = pq.ParquetWriter(work / f"{name}.parquet",
                                                 ARTICLE_TABLES[name][0])
            writers[name].write_table(table)

    batch: list[Article] = []
    for piece in shard.pieces:
        for item in read_piece(piece, options):
            if isinstance(item, Failure):
                result.failed_reads += 1
                failures.append(item)
                continue
            result.read += 1
            for article in split_long_article(prepare(item), settings.split_chars):
                dedup.check(article)
                batch.append(article)
                if len(batch) >= settings.batch_size:
                    write(batch)
                    batch = []
    if batch:
        write(batch)
    for writer in writers.values():
        writer.close()
    if failures:
        stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        pq.write_table(failure_table(failures, stamp).cast(FAILURES),
                       work / "failures.parquet")
    result.reasons = [f.reason for f in failures[:5]]
    (work / _DONE).write_text(json.dumps(asdict(result)), "utf-8")
    try:
        os.replace(work, final)
    except OSError:  # another attempt of the same shard finished first: keep that one
        shutil.rmtree(work, ignore_errors=True)
    return result


# -- driver side ------------------------------------------------------------------------------


class ShardRunner(Protocol):
    """Runs ``fn(item, *args)`` for every item somewhere, yielding results as they finish."""

    def run_each(
        self, fn: Callable[..., Any], items: Iterable[Any], *args: Any
    ) -> Iterator[tuple[Any, Any | BaseException]]: ...


def ingest_sharded(
    paths: Iterable[str | Path],
    db: str | Path | None,
    runner: ShardRunner,
    *,
    shard_dir: str | Path | None = None,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    settings: ShardSettings | None = None,
    on_shard: Callable[[IngestSummary, int, int], None] | None = None,
) -> IngestSummary:
    """Ingest ``paths`` shard by shard with ``runner`` (a local pool or a Dask cluster).

    ``shard_dir`` (default: ``<db>.shards`` beside the database) must be reachable by every
    worker and the driver: on a cluster, shared storage. ``on_shard(summary, done, total)``
    is called after each shard is loaded.
    """
    started = time.perf_counter()
    settings = settings or ShardSettings()
    summary = IngestSummary()
    options = ReadOptions(max_bytes=settings.max_bytes)
    shards, read_failures = plan_shards(list(paths), options, shard_bytes)
    # keep_open=False: the file is held only while a shard is loaded, so that readers such as
    # 'diurna serve' get in between shards (see diurna.store.locking).
    with Store(db, keep_open=False) as store:
        folder = Path(shard_dir) if shard_dir else store.path.with_name(store.path.name + ".shards")
        folder.mkdir(parents=True, exist_ok=True)
        if read_failures:
            store.write([], read_failures)
            for failure in read_failures:
                summary.note_failure(failure.reason)
        with store.session():
            finished = done_shards(store)
        pending = [s for s in shards if s.id not in finished]
        summary.shards = len(shards)
        summary.shards_skipped = len(shards) - len(pending)
        total = len(shards)
        completed = total - len(pending)
        by_id = {s.id: s for s in pending}
        for shard, outcome in runner.run_each(run_shard, pending, str(folder), settings):
            shard = by_id[shard.id]
            if isinstance(outcome, BaseException):
                # A lost worker (killed, out of memory) or an error outside any one article.
                reason = (f"{shard.describe()}: processing the shard failed: "
                          f"{type(outcome).__name__}: {outcome}; run the same command again to "
                          "process it")
                store.write([], [Failure(shard.describe(), reason, stage="executor")])
                summary.note_failure(reason)
            else:
                with store.session():
                    _load(store, shard, folder / shard.id, outcome, summary)
            completed += 1
            if on_shard:
                on_shard(summary, completed, total)
        with store.session():
            rebuild_clusters(store)
    summary.skipped_files = options.skipped
    summary.seconds = time.perf_counter() - started
    return summary


def _load(store: Store, shard: Shard, folder: Path, result: ShardResult,
          summary: IngestSummary) -> None:
    pieces = [asdict(p) for p in shard.pieces]
    loaded = load_shard(store, shard.id, pieces, folder, done=result.complete)
    shutil.rmtree(folder, ignore_errors=True)
    summary.read += result.read
    summary.new += loaded.new
    summary.non_english += loaded.non_english
    summary.unchanged += loaded.unchanged
    summary.duplicate += loaded.duplicate
    summary.failed += result.failed_reads + result.failed_articles
    for reason in result.reasons:
        summary.note_failure(reason, count=False)

