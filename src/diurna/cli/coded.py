"""``diurna actors``, ``diurna events`` and ``diurna explain``: what the coder found."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from diurna.cli.options import DbOption, FormatOption, iso_date
from diurna.cli.output import Format, console, render
from diurna.store import Store, queries


def register(app: typer.Typer) -> None:
    @app.command(
        "actors",
        epilog="[bold]Examples[/bold]\n\n  diurna actors\n  diurna actors --country KAZ\n"
        "  diurna actors --unresolved\n  diurna actors --format csv > actors.csv",
    )
    def actors_command(
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        country: Annotated[
            str | None, typer.Option(help="Only actors of this country (ISO alpha-3, e.g. KAZ).")
        ] = None,
        unresolved: Annotated[
            bool, typer.Option("--unresolved", help="List the names no rule could resolve.")
        ] = False,
        limit: Annotated[int, typer.Option(min=1)] = 1000,
    ) -> None:
        """List the actors found in the articles, with their mention counts."""
        with Store(db, read_only=True) as store:
            if unresolved:
                rows = queries.unresolved(store, limit=limit)
            else:
                rows = queries.actors(store, country=country.upper() if country else None,
                                      limit=limit)
        render(rows, fmt, title="Unresolved names" if unresolved else "Actors",
               max_width={"name": 40})

    @app.command(
        "events",
        epilog="[bold]Examples[/bold]\n\n  diurna events\n  diurna events --actor KAZ --code 12\n"
        "  diurna events --modality negated --format jsonl\n  diurna events --since 2022-01-01",
    )
    def events_command(
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        actor: Annotated[
            str | None, typer.Option(help="Source or target code starts with this (KAZ, RUSMIL).")
        ] = None,
        code: Annotated[
            str | None, typer.Option(help="CAMEO code starts with this (12, 054, 1724).")
        ] = None,
        modality: Annotated[
            str | None, typer.Option(help="asserted, negated, future or hypothetical.")
        ] = None,
        since: Annotated[
            str | None, typer.Option(callback=iso_date, help="Events on or after YYYY-MM-DD.")
        ] = None,
        limit: Annotated[int, typer.Option(min=1)] = 1000,
    ) -> None:
        """List coded events: who did what to whom."""
        if modality and modality not in ("asserted", "negated", "future", "hypothetical"):
            raise typer.BadParameter("use asserted, negated, future or hypothetical",
                                     param_hint="--modality")
        with Store(db, read_only=True) as store:
            rows = queries.events(store, actor=actor.upper() if actor else None, code=code,
                                  modality=modality, since=since, limit=limit)
        columns = None
        if fmt is Format.table:
            columns = ["id", "date", "source_code", "cameo", "target_code", "modality",
                       "plover_type", "trigger_text"]
        render(rows, fmt, title="Events", columns=columns, max_width={"trigger_text": 20})

    @app.command(
        "explain",
        epilog="[bold]Examples[/bold]\n\n  diurna explain e-3f2a9c0d1b2e4f56",
    )
    def explain_command(
        event_id: Annotated[str, typer.Argument(help="An event id (see 'diurna events').")],
        db: DbOption = None,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Show why an event was coded: its sentence with trigger and actors, and the pattern."""
        with Store(db, read_only=True) as store:
            row = queries.event(store, event_id)
        if row is None:
            console.print(f"[red]no event with id {event_id!r}[/red]")
            raise typer.Exit(1)
        if fmt is not Format.table:
            render([row], fmt)
            return
        console.print(highlight_sentence(row))
        for label, value in (
            ("source", f"{row['source_text']} → {row['source_code']}"),
            ("event", f"{row['cameo']} ({row['plover_type']}), modality {row['modality']}"
                      + (f", negated act {row['base_cameo']}" if row["base_cameo"] else "")),
            ("target", f"{row['target_text']} → {row['target_code']}"),
            ("pattern", row["pattern_id"]),
            ("confidence", f"{row['confidence']:.2f}  quad class {row['quad_class']}  "
                           f"Goldstein {row['goldstein']}"),
            ("article", f"{row['article_id']}  {row['title'] or ''}"),
        ):
            console.print(f"[bold]{label:>10}[/bold]  {value}", highlight=False)


def highlight_sentence(row: dict[str, object]) -> Text:
    """The sentence with the trigger in bold red; actors are underlined where found in it."""
    sentence = str(row.get("sentence") or "")
    base = int(row.get("sentence_start") or 0)  # type: ignore[call-overload]
    text = Text(sentence)
    start = int(row["trigger_start"]) - base  # type: ignore[call-overload]
    end = int(row["trigger_end"]) - base  # type: ignore[call-overload]
    if 0 <= start < end <= len(sentence):
        text.stylize("bold red", start, end)
    for role in ("source_text", "target_text"):
        value = row.get(role)
        if isinstance(value, str) and value and value in sentence:
            i = sentence.index(value)
            text.stylize("underline cyan", i, i + len(value))
    return text
