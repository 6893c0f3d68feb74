"""The HTML pages: they render from the database, and untrusted text is always escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from diurna.api import Database
from diurna.web.pages import highlight, map_svg, network_svg, timeline_svg

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_every_page_renders(client: TestClient) -> None:
    for url in ("/", "/events", "/map", "/stance", "/stance?entity=KAZ", "/try", "/actors/RUS",
                "/events?actor=KAZ&quad_class=&modality=&since=&until=&place=&q=&code="):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "http://" not in re.sub(r'http://testserver/static/', "", response.text.split(
            "<main>")[0]), "no CDN or remote asset"
        assert "cdn" not in response.text.lower()
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/try.js").status_code == 200


def test_overview_has_timeline_actors_and_dyads(client: TestClient, examples_path: Path) -> None:
    html = client.get("/").text
    assert '<svg class="timeline"' in html and html.count('<rect class="bar"') > 3
    with Database(examples_path) as db:
        top = db.actors()["code"][0]
        dyad = db.sql("SELECT source FROM actor_dyads ORDER BY events DESC LIMIT 1")["source"][0]
    assert f'href="/actors/{top}"' in html.replace("%2D", "-")
    assert dyad in html


def test_event_explorer_filters(client: TestClient, examples_path: Path) -> None:
    with Database(examples_path) as db:
        everything, kaz = len(db.events()), len(db.events(actor="KAZ"))
    all_rows = client.get("/events").text.count('class="evidence"')
    assert all_rows == min(everything, 100)
    page = client.get("/events", params={"actor": "KAZ"}).text
    assert page.count('class="evidence"') == kaz
    assert f"{kaz} event" in page
    assert client.get("/events", params={"quad_class": "7"}).status_code == 422
    bad_date = client.get("/events", params={"since": "2024-02-31"})
    assert bad_date.status_code == 422 and "text/html" in bad_date.headers["content-type"]


def test_event_row_opens_highlighted_sentence(client: TestClient) -> None:
    page = client.get("/events", params={"actor": "RUS"}).text
    link = re.search(r'class="evidence" href="([^"]+)">([^<]+)</a>', page)
    assert link
    href, trigger = link.group(1).replace("&amp;", "&"), link.group(2)
    article = client.get(href.split("#")[0]).text
    assert f'<mark class="trigger" id="hl">{trigger}</mark>' in article
    assert '<span class="sentence-hl">' in article
    assert article.count('<mark class="trigger" id="hl">') == 1


def test_actor_page_network_and_map(client: TestClient) -> None:
    actor = client.get("/actors/RUS").text
    svg = actor.split('<svg class="network"')[1].split("</svg>")[0]
    assert svg.count("<circle") >= 2 and svg.count("<line") >= 1
    world = client.get("/map").text
    svg = world.split('<svg class="map"')[1].split("</svg>")[0]
    assert svg.count('<circle class="marker') >= 5
    assert 'href="/events?place=UKR"' in svg
    assert client.get("/actors/ZZZQQ").status_code == 404


def test_stance_board(client: TestClient) -> None:
    page = client.get("/stance", params={"entity": "KAZ"}).text
    assert "Stances on or by KAZ" in page
    assert client.get("/stance", params={"entity": "<b>"}).status_code == 422


def test_try_page_has_no_save_box_when_read_only(client: TestClient, examples_path: Path) -> None:
    from diurna.web import create_app

    assert 'id="try-save"' not in client.get("/try").text
    assert "nothing is stored" in client.get("/try").text
    with TestClient(create_app(examples_path, allow_writes=True)) as writable:
        assert 'id="try-save"' in writable.get("/try").text


def test_script_in_an_article_never_runs(hostile: TestClient) -> None:
    articles = hostile.get("/api/articles").json()["articles"]
    assert len(articles) == 1
    article_id = articles[0]["id"]
    stored = hostile.get(f"/api/articles/{article_id}").json()
    assert IMG in stored["title"]  # the API returns the data as it is (JSON, not HTML)
    events = hostile.get("/api/events").json()["events"]
    urls = [f"/articles/{article_id}", "/", "/events", "/events?q=alert",
            *(f"/articles/{article_id}?event={e['id']}" for e in events)]
    saw_script = False
    for url in urls:
        html = hostile.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
            saw_script = True
    article = hostile.get(f"/articles/{article_id}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert SCRIPT in stored["text"], "the stored text must carry the script for this test"
    assert saw_script and "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    # an id in the URL is echoed escaped on the error page
    missing = hostile.get("/articles/%3Cscript%3Ealert(1)")
    assert missing.status_code == 404
    assert "<script>alert" not in missing.text and "&lt;script&gt;" in missing.text


def test_highlight_cuts_and_drops_overlaps() -> None:
    text = "Before. Russia condemned <b>Ukraine</b> today. After."
    start = text.index("Russia")
    spans = [(start, start + 6, "source"), (start + 7, start + 16, "trigger"),
             (start + 2, start + 9, "target"), (500, 510, "target")]
    pieces = highlight(text, (8, text.index(" After")), spans)
    assert "".join(p for p, _ in pieces) == text
    assert ("Russia", "source") in pieces and ("condemned", "trigger") in pieces
    assert all(kind != "target" for _, kind in pieces)
    assert highlight("abc", None, []) == [("abc", None)]


def test_svg_geometry() -> None:
    periods = [{"period": "2024-01-01", "verbal_cooperation": 1, "material_cooperation": 0,
                "verbal_conflict": 2, "material_conflict": 3, "total": 6}]
    drawn = timeline_svg(periods)
    assert len(drawn["bars"]) == 3 and drawn["top"] == 6
    assert timeline_svg([])["bars"] == []
    dyads = [{"source": "RUS", "target": "UKR", "events": 3, "verbal_conflict": 1,
              "material_conflict": 2}, {"source": "KAZ", "target": "RUSGOV", "events": 1,
                                        "verbal_conflict": 0, "material_conflict": 0}]
    net = network_svg("RUS", dyads)
    assert {n["code"] for n in net["nodes"]} == {"RUS", "UKR", "KAZ"}
    assert len(net["lines"]) == 2 and net["lines"][0]["colour"] == "#b8322a"
    world = map_svg([{"country": "FRA", "events": 4, "material_conflict": 0},
                     {"country": "XXX", "events": 1, "lat": None, "lon": None}])
    assert len(world["markers"]) == 1
    paris = world["markers"][0]
    assert 440 < paris["x"] < 460 and 90 < paris["y"] < 110  # 2.35°E 48.85°N on 900×450


def test_stance_board_renders_states_and_evidence(client: TestClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from diurna.web import api

    def fake(request: object, entity: str) -> dict[str, object]:
        return {"entity": entity.upper(), "stances": [
            {"role": "object", "subject_code": "KAZ", "subject_name": "Kazakhstan",
             "object_code": "UKRDON", "object_name": "Donetsk", "stance": "does_not_recognize",
             "last_seen": "2023-03-03", "conflicting": False}],
            "evidence": [{"subject_code": "KAZ", "predicate": "does_not_recognize",
                          "object_code": "UKRDON", "modality": "asserted",
                          "published": "2023-03-03", "article_id": "a1",
                          "evidence_text": f"Kazakhstan will not recognise {SCRIPT} Donetsk."}]}

    monkeypatch.setattr(api, "stance", fake)
    html = client.get("/stance", params={"entity": "ukrdon"}).text
    assert "Kazakhstan (KAZ)" in html and "does not recognize" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
