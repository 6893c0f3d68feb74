"""``diurna extract``: stateless extraction to JSON Lines on standard output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diurna.cli.options import MaxBytesOption, ModelOption, TimeoutOption, iso_date
from diurna.cli.output import write_jsonl
from diurna.deadline import DEFAULT_ARTICLE_TIMEOUT
from diurna.jobs.extract import extract_paths
from diurna.readers.decode import DEFAULT_MAX_BYTES

EXAMPLES = """
[bold]Examples[/bold]

  diurna extract story.txt
  diurna extract dump.jsonl --published 2022-02-22 > records.jsonl
  echo "Kazakhstan does not recognise the DPR." | diurna extract -

Each output line is one article record (see docs/extract-format.md). A bad article prints
{"id": ..., "error": "..."} and the others go on. No database is touched.
"""


def register(app: typer.Typer) -> None:
    @app.command("extract", epilog=EXAMPLES)
    def extract_command(
        paths: Annotated[
            list[Path], typer.Argument(help="Files, folders (recursive) or - for stdin.")
        ],
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="Output format (jsonl).")
        ] = "jsonl",
        published: Annotated[
            str | None,
            typer.Option(
                "--published",
                callback=iso_date,
                help="Publication date (YYYY-MM-DD) for articles that carry none.",
            ),
        ] = None,
        model: ModelOption = None,
        workers: Annotated[int, typer.Option("--workers", "-w", min=1)] = 1,
        max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
        timeout: TimeoutOption = DEFAULT_ARTICLE_TIMEOUT,
    ) -> None:
        """Extract articles to JSON records on stdout, without a database."""
        if fmt != "jsonl":
            raise typer.BadParameter("only jsonl is supported", param_hint="--format")
        n_errors = n_records = 0
        for record in extract_paths(
            [str(p) for p in paths],
            published=published,
            model=model,
            workers=workers,
            max_bytes=max_bytes,
            timeout=timeout or None,
        ):
            n_records += 1
            n_errors += "error" in record
            write_jsonl([record])
        if n_errors:
            raise typer.Exit(2 if n_errors == n_records else 1)
