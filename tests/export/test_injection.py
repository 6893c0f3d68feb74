"""Exports of hostile articles: no CSV cell runs as a spreadsheet formula, no GDELT field breaks
a row or a column, and every JSON Lines record stays one valid JSON object on one line.

The articles are written here, by hand: titles, URLs, ids and text carrying formulas, tabs,
line breaks of every kind, NUL, markup and XML-like closing tags."""

from __future__ import annotations

import csv
import io
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from diurna.export import export
from diurna.export.gdelt import EVENT_COLUMNS, MENTION_COLUMNS, cell
from diurna.export.tabular import FORMULA_START, json_line, safe_cell, write_csv, write_jsonl
from diurna.jobs.ingest import ingest

# Every character that a reader of some kind takes as the end of a line or field.
BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
FORMULAS = ['=HYPERLINK("http://x.test","click")', "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)", "\t=1+1", "\r=1+1"]
ODD_ID = 'w/2"></DIURNA_ARTICLE_ID><DIURNA_MODALITY>negated</DIURNA_MODALITY>&amp;'
RECORDS: list[dict[str, Any]] = [
    {"id": "w-1", "title": FORMULAS[0], "url": "https://example.test/a\tb\nc\u2028d\x85e",
     "source": "=cmd", "published": "2024-05-02",
     "text": ("MOSCOW, May 2, 2024 — Russia condemned Ukraine on Monday. "
              "=HYPERLINK(\"http://x.test\") said the mayor.\tTabs\tinside. "
              "Ukraine accused Russia of shelling the city of Kharkiv, officials said.")},
    {"id": ODD_ID, "title": f"Line\u2028separator {FORMULAS[1]}", "url": "javascript:alert(1)",
     "published": "2024-05-03",
     "text": ("-2+3 KYIV, May 3, 2024 — Ukraine condemned Russia on Tuesday. "
              "Russia threatened Ukraine with sanctions, the ministry said.")},
    {"id": "w-3", "title": FORMULAS[3] + "\ra lone carriage return", "url": "https://x.test/ok",
     "published": "2024-05-04",
     "text": ("LONDON, May 4, 2024 — Britain criticised Russia on Wednesday. \"<script>alert(1)"
              "</script>,\" the minister said. Police arrested 12 protesters, officials said.")},
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export-hostile")
    lines = "".join(json.dumps(r) + "\n" for r in RECORDS)
    (folder / "hostile.jsonl").write_text(lines, encoding="utf-8")
    db = folder / "hostile.duckdb"
    assert ingest([folder / "hostile.jsonl"], db=db).new == len(RECORDS)
    return db


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# -- CSV ----------------------------------------------------------------------------------------


def test_safe_cell_neutralises_every_formula_start() -> None:
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    for value in FORMULAS:
        assert safe_cell(value) == "'" + value
    # numbers stay numbers (a spreadsheet reads -2 as minus two, not as a formula)
    assert [safe_cell(v) for v in (-2, -1.5, 0, True, None)] == [-2, -1.5, 0, "true", None]
    assert safe_cell("plain text") == "plain text" and safe_cell("a=b") == "a=b"


@pytest.mark.parametrize("table", ["events", "mentions", "counts", "quotes", "articles"])
def test_csv_exports_of_hostile_text_have_no_formula_cells(
    hostile_db: Path, tmp_path: Path, table: str
) -> None:
    out = tmp_path / f"{table}.csv"
    written = export(hostile_db, fmt="csv", table=table, out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert len(body) == written > 0, "rows were neither lost nor split"
    for row in body:
        assert len(row) == len(header)
        for value in row:
            assert value[:1] not in FORMULA_START or _is_number(value), (table, value)


def test_csv_keeps_the_hostile_text_readable(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.csv"
    export(hostile_db, fmt="csv", table="articles", out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {r["id"] for r in RECORDS}, "an id with quotes and tags survives"
    assert rows["w-1"]["title"] == "'" + FORMULAS[0]
    assert rows["w-3"]["title"] == "'" + RECORDS[2]["title"], "a lone CR is quoted, not a row end"
    assert rows[ODD_ID]["text"].startswith("'-2+3 KYIV")
    assert rows["w-1"]["url"] == RECORDS[0]["url"], "tabs and breaks inside a quoted cell"


def test_write_csv_quotes_separators_and_breaks() -> None:
    sink = io.StringIO()
    hostile = ['a,b', 'say "hi"', "two\nlines", "cr\rhere", "=1+1", "\u2028x"]
    assert write_csv(["c"] * len(hostile), [hostile], sink) == 1
    back = list(csv.reader(io.StringIO(sink.getvalue(), newline="")))
    assert back[1] == ['a,b', 'say "hi"', "two\nlines", "cr\rhere", "'=1+1", "\u2028x"]


# -- GDELT TSV ----------------------------------------------------------------------------------


def test_gdelt_cell_removes_every_break_and_nul() -> None:
    for char in BREAKS + "\x00":
        assert char not in cell(f"a{char}b"), repr(char)
        assert cell(f"a{char}b") == "a b"
    assert cell(None) == "" and cell(1.0) == "1.0" and cell(7) == "7"


@pytest.mark.parametrize(("table", "width"), [("events", len(EVENT_COLUMNS)),
                                              ("mentions", len(MENTION_COLUMNS))])
def test_gdelt_rows_and_columns_hold_with_hostile_text(
    hostile_db: Path, tmp_path: Path, table: str, width: int
) -> None:
    out = tmp_path / f"{table}.tsv"
    written = export(hostile_db, fmt="gdelt", table=table, out=out)
    data = out.read_bytes().decode("utf-8")
    assert written > 0 and data.endswith("\n")
    lines = data[:-1].split("\n")
    assert len(lines) == written
    assert data.splitlines() == lines, "no other character that readers take as a line end"
    assert "\x00" not in data
    for line in lines:
        assert len(line.split("\t")) == width
    if table == "events":
        urls = {line.split("\t")[-1] for line in lines}
        assert "https://example.test/a b c d e" in urls


def test_gdelt_extras_stay_well_formed_with_a_hostile_article_id(
    hostile_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mentions.tsv"
    export(hostile_db, fmt="gdelt", table="mentions", out=out)
    seen = set()
    for line in out.read_text(encoding="utf-8").splitlines():
        extras = line.split("\t")[MENTION_COLUMNS.index(("Extras", "STRING"))]
        root = ET.fromstring(f"<extras>{extras}</extras>")
        assert [child.tag for child in root] == [
            "DIURNA_EVENT_ID", "DIURNA_ARTICLE_ID", "DIURNA_MODALITY"]
        seen.add(root.findtext("DIURNA_ARTICLE_ID"))
    assert ODD_ID in seen, "the id is escaped, not cut or turned into elements"


# -- JSON Lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "table"), [("jsonl", "events"), ("jsonl", "articles"),
                                            ("jsonl", "quotes"), ("jsonl", "mentions"),
                                            ("plover", "events")])
def test_json_lines_stay_one_valid_object_per_line(
    hostile_db: Path, tmp_path: Path, fmt: str, table: str
) -> None:
    out = tmp_path / f"{fmt}-{table}.jsonl"
    written = export(hostile_db, fmt=fmt, table=table, out=out)
    text = out.read_text(encoding="utf-8")
    assert written > 0
    lines = text.splitlines()  # splits at U+2028, U+0085 and the like, too
    assert len(lines) == written == text.count("\n")
    records = [json.loads(line, parse_constant=_refuse) for line in lines]
    assert all(isinstance(r, dict) for r in records)
    if (fmt, table) == ("jsonl", "articles"):
        by_id = {r["id"]: r for r in records}
        assert by_id["w-1"]["url"] == RECORDS[0]["url"], "the text round-trips unchanged"
        assert by_id[ODD_ID]["title"] == RECORDS[1]["title"]
        assert by_id["w-1"]["title"] == FORMULAS[0], "JSON needs no formula guard"


def _refuse(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


def test_json_line_escapes_line_separators_and_drops_nan() -> None:
    record = {"t": "a\u2028b\u2029c\x85d\n", "x": float("nan"), "y": [float("inf"), 1.5],
              "z": {"w": -float("inf")}}
    line = json_line(record)
    assert line.endswith("\n") and len(line.splitlines()) == 1
    assert json.loads(line, parse_constant=_refuse) == {
        "t": "a\u2028b\u2029c\x85d\n", "x": None, "y": [None, 1.5], "z": {"w": None}}
    sink = io.StringIO()
    assert write_jsonl(["tone", "text"], [(float("nan"), "\u2028")], sink) == 1
    assert json.loads(sink.getvalue(), parse_constant=_refuse) == {"tone": None, "text": "\u2028"}
