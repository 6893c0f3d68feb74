"""``diurna articles``, ``diurna show`` and ``diurna failures``: reading the database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel

from diurna.cli.options import DbOption, FormatOption
from diurna.cli.output import Format, console, json_line, render
from diurna.store import Store, queries


def register(app: typer.Typer) -> None:
    @app.command(
        "articles",
        epilog="[bold]Examples[/bold]\n\n  diurna articles\n  diurna articles --status duplicate"
        "\n  diurna articles --format csv > articles.csv",
    )
    def articles_command(
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        status: Annotated[
            str | None,
            typer.Option(help="Only articles with this status: ok, duplicate, non_english."),
        ] = None,
        limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 1000,
    ) -> None:
        """List the stored articles."""
        with Store(db, read_only=True) as store:
            rows = store.articles(status=status, limit=limit)
        columns = ["id", "published", "status", "events", "title"]
        if fmt is not Format.table:
            columns = ["id", "published", "language", "status", "n_chars", "events", "title",
                       "url", "source", "duplicate_of"]
        render(rows, fmt, title="Articles", columns=columns, max_width={"title": 48})

    @app.command(
        "show",
        epilog="[bold]Examples[/bold]\n\n  diurna show h-0fdbe324c204e36c\n"
        "  diurna show h-0fdbe324c204e36c --format jsonl",
    )
    def show_command(
        article_id: Annotated[
            str, typer.Argument(help="The article's id (see 'diurna articles').")
        ],
        db: DbOption = None,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Show one article: its cleaned text and the boilerplate that was removed."""
        with Store(db, read_only=True) as store:
            row = store.article(article_id)
            facts = queries.article_facts(store, article_id) if row is not None else {}
        if row is None:
            console.print(f"[red]no article with id {article_id!r}[/red]")
            raise typer.Exit(1)
        if fmt is not Format.table:
            render([{**row, **facts}], fmt)
            return
        meta = " · ".join(
            f"{k}: {row[k]}" for k in ("published", "language", "status", "url", "source") if row[k]
        )
        console.print(Panel(row["text"] or "", title=row["title"] or row["id"], subtitle=meta))
        if row["duplicate_of"]:
            console.print(f"duplicate of [bold]{row['duplicate_of']}[/bold]")
        render(
            row["removed"], Format.table, title="Removed boilerplate", columns=["reason", "text"],
            max_width={"text": 60},
        )
        widths = {"trigger_text": 18, "text": 50, "object": 14, "speaker_text": 20}
        for name, rows in facts.items():
            if rows:
                render(rows, Format.table, title=name.capitalize(), max_width=widths)

    @app.command(
        "failures",
        epilog="[bold]Examples[/bold]\n\n  diurna failures\n  diurna failures --format jsonl",
    )
    def failures_command(
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        limit: Annotated[int, typer.Option(min=1)] = 1000,
    ) -> None:
        """List the inputs that could not be read or processed, with the reason."""
        with Store(db, read_only=True) as store:
            rows = store.failures(limit=limit)
        render(rows, fmt, title="Failures", max_width={"reason": 90, "source": 50})


__all__ = ["json_line", "register"]
