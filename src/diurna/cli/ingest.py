"""``diurna ingest``: read, clean, code and store articles."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from diurna.cli.options import DbOption, MaxBytesOption, ModelOption, TimeoutOption
from diurna.cli.output import Format, console, err_console, render_summary
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT
from diurna.executors.local import LocalExecutor
from diurna.jobs.ingest import IngestSummary, ingest
from diurna.jobs.shards import ShardRunner, ShardSettings, ingest_sharded
from diurna.readers.decode import DEFAULT_MAX_BYTES
from diurna.store import Store

EXAMPLES = """
[bold]Examples[/bold]

  diurna ingest examples/                      [dim]# a folder, recursively[/dim]
  diurna ingest crawl.warc.gz dump.jsonl --db news.duckdb
  cat story.html | diurna ingest -             [dim]# standard input[/dim]
  diurna ingest big.jsonl --workers 2 --format jsonl
  diurna ingest /data --executor dask --scheduler tcp://scheduler.example:8786
  diurna ingest /data --executor dask --shard-dir /shared/shards  [dim]# sharded[/dim]
  diurna ingest big.jsonl --shards --workers 2 [dim]# sharded on local processes[/dim]

Exit codes: 0 everything went in, 1 some inputs failed (see 'diurna failures'),
2 nothing could be read.
"""


def _sharded(
    paths: list[Path], db: Path | None, runner: ShardRunner, shard_dir: Path | None,
    shard_mb: float, settings: ShardSettings, progress: Progress, task: TaskID,
) -> IngestSummary:
    """A sharded ingest, its progress counted in shards across every worker."""

    def tick(s: IngestSummary, done: int, total: int) -> None:
        progress.update(task, completed=done, total=total, new=s.new, dup=s.duplicate,
                        failed=s.failed)

    return ingest_sharded([str(p) for p in paths], db, runner, shard_dir=shard_dir,
                          shard_bytes=max(1, int(shard_mb * 1024 * 1024)), settings=settings,
                          on_shard=tick)


def register(app: typer.Typer) -> None:
    @app.command("ingest", epilog=EXAMPLES)
    def ingest_command(
        paths: Annotated[
            list[Path], typer.Argument(help="Files, folders (recursive) or - for stdin.")
        ],
        db: DbOption = None,
        workers: Annotated[
            int, typer.Option("--workers", "-w", min=1, help="Worker processes for analysis.")
        ] = 1,
        model: ModelOption = None,
        max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
        timeout: TimeoutOption = DEFAULT_ARTICLE_TIMEOUT,
        fmt: Annotated[
            Format, typer.Option("--format", "-f", help="Summary as a table, JSONL or CSV.")
        ] = Format.table,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        executor: Annotated[
            str, typer.Option("--executor", help="local (processes) or dask (a Dask cluster).")
        ] = "local",
        scheduler: Annotated[
            str | None,
            typer.Option(help="Dask scheduler address (tcp://HOST:8786); without it, "
                         "--executor dask starts a local cluster of --workers processes."),
        ] = None,
        shards: Annotated[
            bool | None,
            typer.Option("--shards/--stream",
                         help="Sharded: workers read and analyse shards (files, byte ranges of "
                              "large JSONL/WARC) into Parquet, the driver loads them; a re-run "
                              "resumes by shard. Default: sharded with --executor dask, "
                              "streamed otherwise."),
        ] = None,
        shard_dir: Annotated[
            Path | None,
            typer.Option(help="Folder for per-shard Parquet (shared storage on a cluster). "
                              "Default: DB.shards beside the database."),
        ] = None,
        shard_mb: Annotated[
            float, typer.Option(min=0.001, help="Target shard size in megabytes.")
        ] = 8.0,
    ) -> None:
        """Ingest articles (.txt, .html, .jsonl, .warc[.gz]) into the database.

        Re-ingesting the same article is a no-op; a near-duplicate is stored and linked to the
        first copy, not coded twice. An interrupted run can simply be run again.
        """
        # A database that cannot be used (damaged, foreign, busy) is reported on its own line
        # before the progress bar starts; this opens it as the ingest would, and lets go.
        Store(db, keep_open=False).close()
        progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingesting[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "new {task.fields[new]} · dup {task.fields[dup]} · failed {task.fields[failed]}"
            ),
            TimeElapsedColumn(),
            console=err_console,
            disable=quiet or fmt is not Format.table,
            transient=False,
        )
        with progress:
            task = progress.add_task("ingest", total=None, new=0, dup=0, failed=0)

            def tick(s: IngestSummary) -> None:
                done = s.new + s.unchanged + s.duplicate + s.non_english + s.failed
                progress.update(task, completed=done, new=s.new, dup=s.duplicate, failed=s.failed)

            if executor not in ("local", "dask"):
                raise typer.BadParameter("use local or dask", param_hint="--executor")
            if scheduler and executor != "dask":
                raise typer.BadParameter("--scheduler needs --executor dask")
            sharded = shards if shards is not None else executor == "dask"
            if sharded and any(str(p) == "-" for p in paths):
                raise typer.BadParameter("a sharded ingest reads files, not standard input "
                                         "(use --stream)", param_hint="PATHS")
            with ExitStack() as stack:
                runner = None
                if executor == "dask":
                    from diurna.executors.dask import DaskExecutor

                    runner = stack.enter_context(DaskExecutor(scheduler, workers=workers))
                if sharded:
                    summary = _sharded(paths, db, runner or LocalExecutor(workers), shard_dir,
                                       shard_mb, ShardSettings(model, timeout or None,
                                                               max_bytes=max_bytes),
                                       progress, task)
                else:
                    summary = ingest(
                        [str(p) for p in paths],
                        db,
                        workers=workers,
                        model=model,
                        max_bytes=max_bytes,
                        timeout=timeout or None,
                        on_article=tick,
                        executor=runner,
                    )
        render_summary(summary.as_dict(), fmt, title="Ingest summary")
        if fmt is Format.table:
            for reason in summary.failures:
                err_console.print(Text.assemble(("failed:", "red"), " ", reason), highlight=False)
            if summary.failed > len(summary.failures):
                err_console.print(f"... and {summary.failed - len(summary.failures)} more")
            if summary.failed:
                console.print("See all failures with: diurna failures")
        raise typer.Exit(summary.exit_code)
