"""GDELT 2.0 exports of a real ingest of examples/: column lists, types, values, filters."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from diurna.export import Filters, export
from diurna.export.gdelt import (
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    fips,
    fips_countries,
    geo,
    global_event_id,
)
from diurna.store import Store

REPO = Path(__file__).resolve().parents[2]
INTEGER = re.compile(r"^-?\d+$")
PANDAS_TYPES = {"INTEGER": "Int64", "FLOAT": "float64", "STRING": "string"}


@pytest.fixture(scope="module")
def db(examples_db: Path) -> Path:
    return examples_db


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def check_types(rows: list[list[str]], columns: list[tuple[str, str]]) -> None:
    for row in rows:
        assert len(row) == len(columns)
        for value, (name, kind) in zip(row, columns, strict=True):
            if value == "":
                continue
            if kind == "INTEGER":
                assert INTEGER.match(value), (name, value)
            elif kind == "FLOAT":
                assert "." in value, (name, value)
                float(value)


@pytest.fixture(scope="module")
def events_tsv(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gdelt") / "events.tsv"
    assert export(db, fmt="gdelt", table="events", out=out) > 0
    return out


@pytest.fixture(scope="module")
def mentions_tsv(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gdelt") / "mentions.tsv"
    assert export(db, fmt="gdelt", table="mentions", out=out) > 0
    return out


@pytest.mark.shared
def test_event_columns_are_the_codebook_columns_in_order(shared_dir: Path) -> None:
    reference = shared_dir / "reference" / "gdelt2-events-fields.csv"
    if not reference.exists():
        pytest.skip(f"{reference} is not present: cannot compare with the GDELT field list")
    with reference.open(encoding="utf-8", newline="") as handle:
        expected = [(row["name"], row["type"]) for row in csv.DictReader(handle)]
    assert expected == EVENT_COLUMNS
    assert len(EVENT_COLUMNS) == 61


@pytest.mark.shared
def test_mention_columns_are_the_codebook_columns_in_order(shared_dir: Path) -> None:
    reference = shared_dir / "reference" / "gdelt2-mentions-fields.csv"
    if not reference.exists():
        pytest.skip(f"{reference} is not present: cannot compare with the GDELT field list")
    with reference.open(encoding="utf-8", newline="") as handle:
        expected = [(row["name"], row["type"]) for row in csv.DictReader(handle)]
    assert expected == MENTION_COLUMNS


def test_events_file_has_61_typed_columns_and_no_header(events_tsv: Path) -> None:
    rows = read_tsv(events_tsv)
    assert rows and all(len(row) == 61 for row in rows)
    assert rows[0][0] != "GLOBALEVENTID"
    check_types(rows, EVENT_COLUMNS)
    names = [name for name, _ in EVENT_COLUMNS]
    frame = pd.read_csv(events_tsv, sep="\t", header=None, names=names, quoting=csv.QUOTE_NONE,
                        dtype={n: PANDAS_TYPES[k] for n, k in EVENT_COLUMNS},
                        keep_default_na=False, na_values={n: [""] for n in names})
    assert len(frame) == len(rows)
    assert frame["GLOBALEVENTID"].is_unique
    assert frame["QuadClass"].between(1, 4).all()
    assert frame["GoldsteinScale"].between(-10, 10).all()
    assert frame["AvgTone"].notna().all()


def test_event_values_follow_gdelt_conventions(events_tsv: Path) -> None:
    frame = pd.DataFrame(read_tsv(events_tsv), columns=[n for n, _ in EVENT_COLUMNS])
    for _, row in frame.iterrows():
        day = dt.datetime.strptime(row["SQLDATE"], "%Y%m%d").date()
        assert row["MonthYear"] == row["SQLDATE"][:6] and row["Year"] == row["SQLDATE"][:4]
        fraction = day.year + (day.month * 30 + day.day) / 365
        assert abs(float(row["FractionDate"]) - fraction) < 1e-3
        assert len(row["DATEADDED"]) == 14
        code = row["EventCode"]
        assert row["EventBaseCode"] == code[:3] and row["EventRootCode"] == code[:2]
        assert int(row["NumArticles"]) >= 1 and int(row["NumMentions"]) >= 1
        assert row["SOURCEURL"]
        assert row["Actor1Geo_Type"] == "0" and row["Actor1Geo_CountryCode"] == ""
    fips_codes = {entry["fips"] for entry in fips_countries().values()} | {""}
    assert set(frame["ActionGeo_CountryCode"]) <= fips_codes
    assert (frame["ActionGeo_Type"] != "0").any()
    # ISO alpha-3 in the actor fields, FIPS 10-4 in the geo fields, as GDELT does.
    kazakh = frame[frame["ActionGeo_FullName"].str.endswith("Kazakhstan")]
    assert not kazakh.empty and set(kazakh["ActionGeo_CountryCode"]) == {"KZ"}
    assert "KAZ" in set(frame["Actor1CountryCode"]) | set(frame["Actor2CountryCode"])


def test_mentions_file_has_16_typed_columns_and_points_at_events(
    events_tsv: Path, mentions_tsv: Path, db: Path
) -> None:
    mentions = read_tsv(mentions_tsv)
    check_types(mentions, MENTION_COLUMNS)
    names = [name for name, _ in MENTION_COLUMNS]
    frame = pd.read_csv(mentions_tsv, sep="\t", header=None, names=names,
                        quoting=csv.QUOTE_NONE,
                        dtype={n: PANDAS_TYPES[k] for n, k in MENTION_COLUMNS},
                        keep_default_na=False, na_values={n: [""] for n in names})
    event_ids = {int(row[0]) for row in read_tsv(events_tsv)}
    assert set(frame["GLOBALEVENTID"]) == event_ids
    assert len(frame) >= len(event_ids)
    assert set(frame["MentionType"]) <= {1, 2}
    assert (frame["Confidence"].between(0, 100)).all()
    assert (frame["SentenceID"] >= 1).all()
    web = frame[frame["MentionType"] == 1]
    assert not web.empty and web["MentionIdentifier"].str.startswith("https://").all()
    assert not web["MentionSourceName"].str.contains("/").any()
    extras = frame["Extras"].str.extract(r"<DIURNA_EVENT_ID>(e-[0-9a-f]+)</DIURNA_EVENT_ID>")[0]
    with Store(db, read_only=True) as store:
        stored = {r["id"]: r for r in store.query("SELECT id, trigger_start FROM events")}
    for event_id, offset in zip(extras, frame["ActionCharOffset"], strict=True):
        assert stored[event_id]["trigger_start"] == offset


def test_gdelt_exports_only_events_that_took_place_by_default(mentions_tsv: Path) -> None:
    modalities = {
        m.group(1)
        for row in read_tsv(mentions_tsv)
        if (m := re.search(r"<DIURNA_MODALITY>(\w+)<", row[15]))
    }
    assert modalities <= {"asserted", "negated"}


def test_filters_limit_the_gdelt_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kaz.tsv"
    filters = Filters(actor="kaz", since=dt.date(2023, 1, 1), until=dt.date(2023, 12, 31))
    count = export(db, fmt="gdelt", out=out, filters=filters)
    rows = read_tsv(out)
    assert count == len(rows) > 0
    for row in rows:
        assert row[5].startswith("KAZ") or row[15].startswith("KAZ")
        assert "20230101" <= row[1] <= "20231231"
    coded = tmp_path / "code.tsv"
    export(db, fmt="gdelt", out=coded, filters=Filters(code="12", modality="negated"))
    assert all(row[26].startswith("12") for row in read_tsv(coded))


def test_global_event_ids_are_stable_positive_63_bit_integers() -> None:
    first = global_event_id("e-3f2a9c0d1b2e4f56")
    assert first == global_event_id("e-3f2a9c0d1b2e4f56")
    assert 0 < first < 2**63
    assert first != global_event_id("e-3f2a9c0d1b2e4f57")


def test_geo_fields_use_fips_codes() -> None:
    almaty = {"name": "Almaty", "country": "KAZ", "admin1": "KZ.02", "lat": 43.25,
              "lon": 76.91, "geonameid": 1526384, "precision": "city"}
    assert geo(almaty) == [4, "Almaty, Kazakhstan", "KZ", "KZ02", "", 43.25, 76.91, "1526384"]
    ukraine = {"name": "Ukraine", "country": "UKR", "lat": 49.0, "lon": 32.0,
               "precision": "country"}
    assert geo(ukraine)[:4] == [1, "Ukraine", "UP", "UP"]
    texas = {"name": "Austin", "country": "USA", "admin1": "US-TX", "precision": "city"}
    assert geo(texas)[0] == 3 and geo(texas)[3] == "USTX"
    assert geo(None) == [0, "", "", "", "", None, None, ""]
    assert fips("DEU") == "GM" and fips("GBR") == "UK" and fips("XXX") == ""
