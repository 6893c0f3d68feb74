"""``diurna stance``, ``diurna relations``, ``diurna actor`` and ``diurna clusters``: the graph."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from diurna.cli.options import DbOption, FormatOption
from diurna.cli.output import Format, console, render
from diurna.graph import PREDICATES
from diurna.graph.stance import stance
from diurna.store import Store, graph_queries

_RELATION_COLUMNS = ["subject_code", "subject_name", "predicate", "object_code", "object_name",
                     "valid_from", "valid_to", "first_seen", "last_seen", "num_articles",
                     "conflicting"]
_WIDTHS = {"subject_name": 28, "object_name": 34, "evidence_text": 60, "latest_sentence": 60,
           "trigger_text": 18}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every column of ``rows``, in first-seen order (rows of several sections differ)."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def register(app: typer.Typer) -> None:
    @app.command(
        "stance",
        epilog="[bold]Examples[/bold]\n\n  diurna stance UKRDPR\n"
        "  diurna stance \"Donetsk People's Republic\"\n  diurna stance XKX --format csv",
    )
    def stance_command(
        entity: Annotated[str, typer.Argument(
            help="An actor code (UKRDPR) or a name (\"Donetsk People's Republic\").")],
        db: DbOption = None,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Who recognises an entity and who does not: one row per state, latest evidence first."""
        with Store(db, read_only=True) as store:
            rows = stance(store, entity)
        columns = None
        if fmt is Format.table:
            columns = ["state", "state_name", "stance", "num_articles", "num_against",
                       "conflicting", "pending", "latest_date", "latest_sentence"]
        render(rows, fmt, title=f"Recognition of {entity}", columns=columns, max_width=_WIDTHS)

    @app.command(
        "relations",
        epilog="[bold]Examples[/bold]\n\n  diurna relations --subject KAZ\n"
        "  diurna relations --predicate member_of --object IGOCSTO\n"
        "  diurna relations --predicate holds_office --evidence --format jsonl",
    )
    def relations_command(
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        subject: Annotated[str | None, typer.Option(
            help="Subject code starts with this (KAZ, KAZGOV), or its name.")] = None,
        predicate: Annotated[str | None, typer.Option(
            help="One of: " + ", ".join(PREDICATES) + ".")] = None,
        obj: Annotated[str | None, typer.Option(
            "--object", help="Object code starts with this (IGOCSTO, TREATY:), or its name.")
        ] = None,
        evidence: Annotated[bool, typer.Option(
            "--evidence", help="One row per article and sentence, with the evidence.")] = False,
        limit: Annotated[int, typer.Option(min=1)] = 1000,
    ) -> None:
        """List relations between actors, merged across articles (or with --evidence, each one
        with its sentence)."""
        if predicate is not None and predicate not in PREDICATES:
            raise typer.BadParameter("use one of " + ", ".join(PREDICATES),
                                     param_hint="--predicate")
        with Store(db, read_only=True) as store:
            if evidence:
                rows = graph_queries.relation_mentions(store, subject=subject,
                                                       predicate=predicate, obj=obj, limit=limit)
            else:
                rows = graph_queries.relations(store, subject=subject, predicate=predicate,
                                               obj=obj, limit=limit)
        columns = None
        if fmt is Format.table:
            columns = (["published", "subject_code", "predicate", "object_code", "modality",
                        "valid_from", "evidence_text"] if evidence else _RELATION_COLUMNS)
        render(rows, fmt, title="Relations", columns=columns, max_width=_WIDTHS)

    @app.command(
        "actor",
        epilog="[bold]Examples[/bold]\n\n  diurna actor KAZ\n  diurna actor IGOCSTO\n"
        "  diurna actor RUS --format jsonl",
    )
    def actor_command(
        code: Annotated[str, typer.Argument(help="An actor code (KAZ, RUSGOV, IGOCSTO).")],
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        limit: Annotated[int, typer.Option(min=1, help="At most this many rows a section.")
                         ] = 100,
    ) -> None:
        """Profile an actor: offices, memberships, treaties, stances, other relations and its
        recent events by quad class."""
        with Store(db, read_only=True) as store:
            sections = graph_queries.actor_profile(store, code, limit=limit)
        if fmt is not Format.table:
            rows = [{"section": name, **row} for name, found in sections.items() for row in found]
            render(rows, fmt, columns=_columns(rows))
            return
        console.print(f"[bold]{code.upper()}[/bold]")
        for name, found in sections.items():
            columns = _RELATION_COLUMNS if name != "events" else [
                "quad_name", "date", "source_code", "cameo", "target_code", "modality",
                "trigger_text", "id"]
            render(found, Format.table, title=name.capitalize(), columns=columns,
                   max_width=_WIDTHS)

    @app.command(
        "clusters",
        epilog="[bold]Examples[/bold]\n\n  diurna clusters\n  diurna clusters --actor KAZ\n"
        "  diurna clusters --min-articles 2 --format csv",
    )
    def clusters_command(
        db: DbOption = None,
        fmt: FormatOption = Format.table,
        actor: Annotated[str | None, typer.Option(
            help="Source or target code starts with this (KAZ, RUSMIL).")] = None,
        min_articles: Annotated[int, typer.Option(
            min=1, help="Only events reported by at least this many articles.")] = 1,
        limit: Annotated[int, typer.Option(min=1)] = 1000,
    ) -> None:
        """List real-world events clustered across articles, most reported first."""
        with Store(db, read_only=True) as store:
            rows = graph_queries.event_clusters(store, actor=actor, min_articles=min_articles,
                                                limit=limit)
        render(rows, fmt, title="Event clusters")
