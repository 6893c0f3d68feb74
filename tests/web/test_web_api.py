"""The JSON API against examples/ ingested: every endpoint agrees with diurna.Database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from diurna.api import Database
from diurna.web import create_app


@pytest.fixture(scope="module")
def db(examples_path: Path):  # type: ignore[no-untyped-def]
    # A second read-only connection to the same file, in the same process, is fine.
    with Database(examples_path) as database:
        yield database


def ids(payload: dict) -> list[str]:  # type: ignore[type-arg]
    return [e["id"] for e in payload["events"]]


def test_openapi_lists_paths(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events",
                 "/api/events/{event_id}", "/api/actors", "/api/actors/{code}", "/api/relations",
                 "/api/stance", "/api/counts", "/api/quotes", "/api/timeline", "/api/extract"):
        assert path in paths, path
    assert "/events" not in paths  # the HTML pages are not part of the API
    # Swagger UI / ReDoc would load scripts from a CDN
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_articles_match_database(client: TestClient, db: Database) -> None:
    got = client.get("/api/articles", params={"limit": 1000}).json()["articles"]
    assert sorted(a["id"] for a in got) == sorted(db.articles()["id"])
    ok = client.get("/api/articles", params={"status": "duplicate"}).json()["articles"]
    assert ok and all(a["status"] == "duplicate" for a in ok)
    assert client.get("/api/articles", params={"status": "bogus"}).status_code == 422


def test_article_detail(client: TestClient, db: Database) -> None:
    events = db.events()
    article_id = events["article_id"].value_counts().index[0]
    got = client.get(f"/api/articles/{article_id}").json()
    stored = db.articles().set_index("id").loc[article_id]
    assert got["text"] == stored["text"]
    assert isinstance(got["removed"], list) and got["removed"]
    assert len(got["events"]) == int((events["article_id"] == article_id).sum())
    for key in ("counts", "quotes", "places"):
        assert isinstance(got[key], list)
    missing = client.get("/api/articles/no-such-article")
    assert missing.status_code == 404 and "no article" in missing.json()["detail"]


def test_events_total_and_paging(client: TestClient, db: Database) -> None:
    everything = db.events()
    first = client.get("/api/events", params={"limit": 1000}).json()
    assert first["total"] == len(everything) == len(first["events"])
    assert sorted(ids(first)) == sorted(everything["id"])
    page = client.get("/api/events", params={"limit": 10, "offset": 10}).json()
    assert ids(page) == ids(first)[10:20] and page["total"] == len(everything)


@pytest.mark.parametrize("params", [
    {"actor": "KAZ"}, {"actor": "rus"}, {"code": "1"}, {"code": "04"},
    {"modality": "negated"}, {"modality": "future"},
    {"since": "2024-01-01"}, {"until": "2023-12-31"},
    {"since": "2024-01-01", "until": "2024-03-31"},
])
def test_event_filters_match_database(client: TestClient, db: Database, params: dict) -> None:  # type: ignore[type-arg]
    got = client.get("/api/events", params={**params, "limit": 1000}).json()
    want = db.events(**params)
    assert got["total"] == len(want)
    assert sorted(ids(got)) == sorted(want["id"])


def test_more_event_filters(client: TestClient, db: Database) -> None:
    frame = db.events()
    for name, column in (("source", "source_code"), ("target", "target_code")):
        got = client.get("/api/events", params={name: "RUS", "limit": 1000}).json()
        want = frame[frame[column].fillna("").str.startswith("RUS")]
        assert got["total"] == len(want) > 0
    root = frame["cameo_root"].mode()[0]
    got = client.get("/api/events", params={"root": root, "limit": 1000}).json()
    assert got["total"] == int((frame["cameo_root"] == root).sum())
    got = client.get("/api/events", params={"quad_class": 4, "limit": 1000}).json()
    assert got["total"] == int((frame["quad_class"] == 4).sum()) > 0
    assert all(e["quad_class"] == 4 for e in got["events"])
    place = client.get("/api/events", params={"place": "ukr", "limit": 1000}).json()
    assert place["total"] == int(frame["location"].fillna("").str.contains('"country": "UKR"')
                                 .sum()) > 0


def test_text_search_is_a_bound_pattern(client: TestClient) -> None:
    got = client.get("/api/events", params={"q": "CEASEFIRE", "limit": 1000}).json()
    assert got["total"] > 0
    assert all("ceasefire" in e["sentence"].lower() for e in got["events"])
    # LIKE wildcards and quotes are matched literally, never interpreted.
    for q in ("%", "_", "' OR 1=1 --", "\\"):
        found = client.get("/api/events", params={"q": q}).json()
        assert all(q.lower() in e["sentence"].lower() for e in found["events"])
    assert client.get("/api/events", params={"q": "%"}).json()["total"] == 0


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 1001}, {"offset": -1}, {"since": "yesterday"}, {"until": "2024-13-01"},
    {"quad_class": 5}, {"modality": "maybe"}, {"code": "abc"}, {"root": "1"},
    {"actor": "KAZ'; DROP TABLE events"}, {"place": "UK"}, {"q": "x" * 201},
])
def test_bad_event_params_are_422(client: TestClient, params: dict) -> None:  # type: ignore[type-arg]
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and detail[0]["loc"][-1] in params and detail[0]["msg"]


def test_since_after_until_is_400(client: TestClient) -> None:
    response = client.get("/api/events", params={"since": "2024-02-01", "until": "2024-01-01"})
    assert response.status_code == 400 and "after" in response.json()["detail"]


def test_event_detail_with_evidence(client: TestClient, db: Database) -> None:
    event_id = db.events(actor="RUS")["id"][0]
    got = client.get(f"/api/events/{event_id}").json()
    text = client.get(f"/api/articles/{got['article_id']}").json()["text"]
    trigger = got["evidence"]["trigger"]
    assert text[trigger["start"]:trigger["end"]] == trigger["text"] == got["trigger_text"]
    assert trigger["text"] in got["sentence"]
    for role in ("source", "target"):
        if role in got["evidence"]:
            span = got["evidence"][role]
            assert text[span["start"]:span["end"]] == span["text"]
    assert client.get("/api/events/e-nope").status_code == 404


def test_actors(client: TestClient, db: Database) -> None:
    got = client.get("/api/actors", params={"limit": 1000}).json()["actors"]
    assert [a["code"] for a in got] == list(db.actors()["code"])
    kaz = client.get("/api/actors", params={"country": "kaz"}).json()["actors"]
    assert kaz and all(a["country"] == "KAZ" for a in kaz)
    profile = client.get("/api/actors/KAZ").json()
    assert profile["code"] == "KAZ" and profile["mentions"] > 0
    assert {"offices", "memberships", "stances", "events", "dyads"} <= profile.keys()
    assert client.get("/api/actors/ZZZQQ").status_code == 404
    assert client.get("/api/actors/K%20Z").status_code == 422


def test_relations_stance_counts_quotes(client: TestClient, db: Database) -> None:
    rel = client.get("/api/relations", params={"limit": 1000}).json()
    assert rel["total"] == len(db.relations())
    member = client.get("/api/relations", params={"predicate": "member_of"}).json()
    assert member["total"] == len(db.relations(predicate="member_of"))
    assert all(r["predicate"] == "member_of" for r in member["relations"])
    assert client.get("/api/relations", params={"predicate": "Bad Pred"}).status_code == 422

    assert client.get("/api/stance").status_code == 422
    stance = client.get("/api/stance", params={"entity": "KAZ"}).json()
    assert stance["entity"] == "KAZ" and len(stance["stances"]) == len(db.stance("KAZ"))

    counts = client.get("/api/counts", params={"limit": 1000}).json()
    assert counts["total"] == len(db.counts()) > 0
    kill = client.get("/api/counts", params={"kind": "arrest"}).json()
    assert kill["total"] == len(db.counts("ARREST"))
    quotes = client.get("/api/quotes", params={"limit": 1000}).json()
    assert quotes["total"] == len(db.quotes()) > 0
    assert client.get("/api/quotes", params={"speaker": "KAZ"}).json()["total"] == len(
        db.quotes("KAZ"))


def test_timeline_matches_events_by_month(client: TestClient, db: Database) -> None:
    got = client.get("/api/timeline").json()
    assert got["by"] == "month"
    total = sum(p["total"] for p in got["periods"])
    by_month = db.sql("SELECT sum(events) AS n FROM events_by_month")["n"][0]
    # events_by_month drops year-only and range dates; the timeline keeps them at their start
    assert total >= int(by_month) > 0
    for period in got["periods"]:
        assert period["total"] == sum(period[k] for k in (
            "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"))
    years = client.get("/api/timeline", params={"by": "year"}).json()["periods"]
    assert sum(p["total"] for p in years) == total
    assert client.get("/api/timeline", params={"by": "week"}).status_code == 422


TEXT = ("ALMATY, March 3, 2023 — Kazakhstan will not recognise the breakaway republics, "
        "Foreign Minister Arman Seitkali said. Russia condemned the decision.")


def test_extract_returns_record_and_writes_nothing(client: TestClient, db: Database) -> None:
    before = len(db.articles())
    response = client.post("/api/extract", json={"text": TEXT, "published": "2023-03-03"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["saved"] is None
    record = body["record"]
    assert record["text"] and record["events"]
    assert {"trigger", "cameo", "modality"} <= record["events"][0].keys()
    assert len(db.articles()) == before


def test_extract_refuses_bad_input(client: TestClient) -> None:
    assert client.post("/api/extract", json={"text": TEXT, "save": True}).status_code == 403
    assert client.post("/api/extract", json={"text": ""}).status_code == 422
    assert client.post("/api/extract", json={"words": TEXT}).status_code == 422
    assert client.post("/api/extract", json={"text": TEXT, "published": "soon"}).status_code == 422
    bad = client.post("/api/extract", content=b"{not json",
                      headers={"content-type": "application/json"})
    assert bad.status_code == 422
    assert client.get("/api/extract").status_code == 405


def test_extract_size_limit(examples_path: Path) -> None:
    with TestClient(create_app(examples_path, max_body=1000)) as small:
        response = small.post("/api/extract", json={"text": "word " * 400})
        assert response.status_code == 413
        assert "1000 bytes" in response.json()["detail"]
        assert small.post("/api/extract", json={"text": TEXT}).status_code == 200


def test_extract_saves_only_with_allow_writes(examples_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(examples_path, copy)
    with TestClient(create_app(copy, allow_writes=True)) as writable:
        before = len(writable.get("/api/articles", params={"limit": 1000}).json()["articles"])
        response = writable.post("/api/extract", json={"text": TEXT + " A new sentence.",
                                                       "title": "Saved", "save": True})
        assert response.status_code == 200, response.text
        assert response.json()["saved"]["new"] == 1
        after = writable.get("/api/articles", params={"limit": 1000}).json()["articles"]
        assert len(after) == before + 1 and any(a["title"] == "Saved" for a in after)
        # without save, nothing changes even on a writable server
        writable.post("/api/extract", json={"text": TEXT + " Another one."})
        assert len(writable.get("/api/articles", params={"limit": 1000}).json()["articles"]) \
            == before + 1
