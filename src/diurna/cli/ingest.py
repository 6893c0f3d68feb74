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
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from diurna.cli.options import DbOption, MaxBytesOption, ModelOption, TimeoutOption
from diurna.cli.output import Format, console, err_console, render_summary
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT
from diurna.jobs.ingest import IngestSummary, ingest
from diurna.readers.decode import DEFAULT_MAX_BYTES

EXAMPLES = """
[bold]Examples[/bold]

  diurna ingest examples/                      [dim]# a folder, recursively[/dim]
  diurna ingest crawl.warc.gz dump.jsonl --db news.duckdb
  cat story.html | diurna ingest -             [dim]# standard input[/dim]
  diurna ingest big.jsonl --workers 2 --format jsonl
  diurna ingest /data --executor dask --scheduler tcp://scheduler.example:8786

Exit codes: 0 everything went in, 1 some inputs failed (see 'diurna failures'),
2 nothing could be read.
"""


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
    ) -> None:
        """Ingest articles (.txt, .html, .jsonl, .warc[.gz]) into the database.

        Re-ingesting the same article is a no-op; a near-duplicate is stored and linked to the
        first copy, not coded twice. An interrupted run can simply be run again.
        """
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
            with ExitStack() as stack:
                runner = None
                if executor == "dask":
                    from diurna.executors.dask import DaskExecutor

                    runner = stack.enter_context(DaskExecutor(scheduler, workers=workers))
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
