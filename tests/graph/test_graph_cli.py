"""The graph commands, registered on a Typer app of their own (not yet wired into ``diurna``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from diurna.article import Article
from diurna.cli import graph
from diurna.graph.step import GRAPH_TABLES, after_ingest
from diurna.store import Store
from diurna.store.rows import ARTICLE_TABLES

Analyse = Callable[..., Article]
TEXT = ("Kazakhstan does not recognise the Donetsk People's Republic. The Collective Security "
        "Treaty Organization, an alliance of Russia, Belarus and Kazakhstan, met in Moscow. "
        "President Kassym-Jomart Tokayev thanked the alliance.")


@pytest.fixture
def db(tmp_db: Path, analyse: Analyse, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, entry in GRAPH_TABLES.items():
        monkeypatch.setitem(ARTICLE_TABLES, name, entry)
    with Store(tmp_db) as store:
        store.write([analyse(TEXT, published="2022-02-22", article_id="k1")])
        after_ingest(store)
    return tmp_db


def invoke(*args: str) -> str:
    app = typer.Typer(rich_markup_mode="rich")
    graph.register(app)
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def test_stance(db: Path) -> None:
    rows = [json.loads(line) for line in invoke("stance", "UKRDPR", "--db", str(db), "--format",
                                                "jsonl").splitlines()]
    assert [(r["state"], r["stance"]) for r in rows] == [("KAZ", "does_not_recognize")]
    assert "does_not_recognize" in invoke("stance", "Donetsk People's Republic", "--db", str(db))


def test_relations_filters_and_csv(db: Path) -> None:
    out = invoke("relations", "--predicate", "member_of", "--object", "IGOCSTO", "--db", str(db),
                 "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["subject_code"] for r in rows} == {"RUS", "BLR", "KAZ"}
    evidence = invoke("relations", "--subject", "KAZ", "--evidence", "--db", str(db),
                      "--format", "jsonl")
    assert all(json.loads(line)["evidence_text"] for line in evidence.splitlines())


def test_relations_rejects_an_unknown_predicate(db: Path) -> None:
    app = typer.Typer()
    graph.register(app)
    result = CliRunner().invoke(app, ["relations", "--predicate", "likes", "--db", str(db)])
    assert result.exit_code != 0


def test_actor_profile(db: Path) -> None:
    rows = [json.loads(line) for line in invoke("actor", "KAZ", "--db", str(db), "--format",
                                                "jsonl").splitlines()]
    sections = {r["section"] for r in rows}
    assert {"offices", "memberships", "stances"} <= sections
    table = invoke("actor", "KAZ", "--db", str(db))
    assert "Offices" in table and "Memberships" in table


def test_clusters(db: Path) -> None:
    assert "cluster_id" in invoke("clusters", "--db", str(db), "--format", "csv")


@pytest.mark.parametrize("command", ["stance", "relations", "actor", "clusters"])
def test_help_has_examples(command: str) -> None:
    assert "Examples" in invoke(command, "--help")
