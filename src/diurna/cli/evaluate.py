"""``diurna eval``: the project's quality gate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diurna.cli.options import ModelOption
from diurna.cli.output import Format, console, err_console, render, write_jsonl
from diurna.evaluation.gold import shared_dir
from diurna.evaluation.run import FACT_SETS, as_json, check_floors, evaluate, load_floors

EXAMPLES = """
[bold]Examples[/bold]

  diurna eval                         [dim]# every gold set present on this machine[/dim]
  diurna eval --set gold --set upetr
  diurna eval --check                 [dim]# exit 1 if a metric is below eval/baseline.json[/dim]
  diurna eval --format jsonl
"""

_SHOWN = ("detection", "root", "code", "source", "target", "triple", "plover")


def register(app: typer.Typer) -> None:
    @app.command("eval", epilog=EXAMPLES)
    def eval_command(
        sets: Annotated[
            list[str] | None,
            typer.Option(
                "--set",
                help="gold, plover, upetr, actors, actors_dev, counts, dates, quotes, "
                "places, relations or event_pairs (default: all present).",
            ),
        ] = None,
        check: Annotated[
            bool, typer.Option("--check", help="Fail (exit 1) below the pinned floors.")
        ] = False,
        baseline: Annotated[
            Path | None, typer.Option(help="Floors file (default: eval/baseline.json).")
        ] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        model: ModelOption = None,
    ) -> None:
        """Score extraction against gold data: events (P/R/F1 by kind), modality, actors."""
        if shared_dir() is None:
            err_console.print("note: ../shared is absent: the PLOVER and UniversalPetrarch dev "
                              "sets are skipped; only the project's own gold is scored")
        results = evaluate(sets, model)
        if fmt is Format.table:
            for r in results:
                if r.name in FACT_SETS:
                    rows = [{"metric": k, "value": v} for k, v in r.metrics.items()]
                elif r.name.startswith("actors"):
                    rows = [{"field": f, **{k: r.metrics[f"{f}_{k}"]
                                            for k in ("precision", "recall", "f1")}}
                            for f in ("country", "agent", "code")]
                else:
                    rows = [{"kind": k, **{m: r.metrics[f"{k}_{m}"]
                                           for m in ("precision", "recall", "f1")}}
                            for k in _SHOWN]
                render(rows, Format.table, title=f"{r.name} ({r.sentences} sentences)")
                extra = {k: v for k, v in r.metrics.items()
                         if k in ("modality_accuracy", "noevent_false_alarm_rate")}
                if extra:
                    console.print("  " + "  ".join(f"{k}: {v}" for k, v in extra.items()))
                for error in r.errors[:5]:
                    err_console.print(f"  [yellow]pipeline error:[/yellow] {error}")
        else:
            rows = [{"set": n, **m} for n, m in as_json(results).items()]
            if fmt is Format.jsonl:
                write_jsonl(rows)  # each set with its own metrics
            else:
                columns = list(dict.fromkeys(k for row in rows for k in row))  # CSV: the union
                render(rows, fmt, columns=columns)
        if check:
            problems = check_floors(results, load_floors(baseline))
            for problem in problems:
                err_console.print(f"[red]below floor:[/red] {problem}")
            if problems:
                raise typer.Exit(1)
            err_console.print("[green]eval: every metric is at or above its floor[/green]")

