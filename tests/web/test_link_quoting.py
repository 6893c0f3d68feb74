"""Links built from ids and codes: every one opens the page of the record it names.

Article ids are the records' own strings and may hold anything that means something in a URL
(``?``, ``#``, ``%``, ``&``, ``+``, spaces, ``/``, dot segments). The articles below are ingested
into a real database, the pages are fetched from the app behind a real uvicorn server, and
every link is resolved against its page as a browser would (dot segments removed, fragment
dropped) and followed; the page it reaches must be the named article's.

A real server and not the ``TestClient``: Starlette's test client decodes the path twice
(httpx decodes it, then the client unquotes it again: starlette issue #2587), so under it the
link of the id ``d%20e`` (``/articles/d%2520e``) would reach the app as ``d e``; uvicorn
decodes it once, as every server in front of a browser does.
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, unquote

import httpx
import pytest

from diurna.api import Database
from diurna.jobs.ingest import ingest
from diurna.web import create_app
from diurna.web.links import article_href, path_segment, query

# One article per id; its title and its sentence carry the same word, so a page reached by a
# link can be told apart from every other article's.
ODD_IDS = {
    "Alpha": "a?b#c/d%20e&f+g",
    "Bravo": "x/../y",
    "Charlie": "./dot",
    "Delta": "..",
    "Echo": ".",
    "Foxtrot": "sp ace + plus",
    "Golf": "trail/",
    "Hotel": "/lead",
    "India": "back\\slash",
    "Juliett": "ü;b=c",
    "Kilo": "%2F",
    "Lima": "a//b",
    "Mike": "https://example.test/news?id=7&p=2#top",
    "November": "%zz%",
}
STANCE_ID = "kz?stance#1/../%41 b&c+d"
PAGER_ID = "pager&q=1#x"
PAGER_Q = "50% & A+B #deal"  # a filter value with the characters of a query in it
RECORDS: list[dict[str, Any]] = [
    {"id": article_id, "title": f"Article {word}", "published": "2024-05-02",
     "text": f"MOSCOW, May 2, 2024 — Russia condemned Ukraine over the {word} affair on Monday."}
    for word, article_id in ODD_IDS.items()
] + [
    {"id": STANCE_ID, "title": "Article Stance", "published": "2024-05-03",
     "text": ("ALMATY, May 3, 2024 — Kazakhstan does not recognise the Donetsk People's "
              "Republic, Foreign Minister Arman Seitkali said.")},
    {"id": PAGER_ID, "title": "Article Pager", "published": "2024-05-04",
     "text": f"MOSCOW, May 4, 2024 — Russia condemned Ukraine over the {PAGER_Q} on Monday."},
]
TITLES = {r["id"]: r["title"] for r in RECORDS}
# Text only the sentence of one article's event holds.
MARKS = {**{article_id: f"{word} affair" for word, article_id in ODD_IDS.items()},
         STANCE_ID: "does not recognise", PAGER_ID: PAGER_Q}
# What WHATWG URL parsing takes for "." and "..": a link must hold none of them as a segment.
DOT_SEGMENTS = {".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"}


@pytest.fixture(scope="module")
def odd_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web-odd-ids")
    lines = "".join(json.dumps(r) + "\n" for r in RECORDS)
    (folder / "odd.jsonl").write_text(lines, encoding="utf-8")
    path = folder / "odd.duckdb"
    assert ingest([folder / "odd.jsonl"], db=path).new == len(RECORDS)
    return path


@pytest.fixture(scope="module")
def event_article(odd_path: Path) -> dict[str, str]:
    """Event id → article id, from the database: the oracle for links naming an event."""
    with Database(odd_path) as db:
        rows = db.events()[["id", "article_id"]].to_dict(orient="records")
    assert {r["article_id"] for r in rows} >= set(MARKS), "every article has an event"
    return {str(r["id"]): str(r["article_id"]) for r in rows}


@pytest.fixture(scope="module")
def site(odd_path: Path) -> Iterator[httpx.Client]:
    """A client of the app behind a real uvicorn server on a free loopback port."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(odd_path), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _Links(HTMLParser):
    """The links of a page's ``<main>``: ``(href, text)``, entities decoded as a browser does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[list[str]] = []  # [href, text so far] of the <a> being read
        self._in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        elif tag == "a" and self._in_main:
            self._open.append([dict(attrs).get("href") or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, text.strip()))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1] += data


def links(page: httpx.Response, prefix: str = "") -> list[tuple[httpx.URL, str]]:
    """The links of ``page`` whose path starts with ``prefix``, each resolved against the page's
    URL as a browser resolves it: dot segments removed, the fragment dropped."""
    assert page.status_code == 200, (page.url, page.status_code)
    parser = _Links()
    parser.feed(page.text)
    found = []
    for href, text in parser.links:
        target = page.url.join(href).copy_with(fragment=None)
        if target.path.startswith(prefix):
            found.append((target, text))
    return found


def follow(site: httpx.Client, url: httpx.URL) -> httpx.Response:
    """GET ``url`` after checking that no segment of it is one a browser would resolve away."""
    segments = url.raw_path.split(b"?")[0].decode("ascii").split("/")
    assert not DOT_SEGMENTS & {s.lower() for s in segments}, url
    response = site.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def heading(page: httpx.Response) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page.text, re.S)
    assert found, page.url
    return found.group(1)


def event_of(url: httpx.URL) -> str:
    """The event a link highlights: its ``event`` query value."""
    values = parse_qs(url.query.decode("ascii")).get("event", [])
    assert len(values) == 1, url
    return values[0]


def assert_article_with_event(page: httpx.Response, article_id: str, event_id: str) -> None:
    """``page`` is the article page of ``article_id`` with ``event_id`` chosen."""
    assert heading(page) == TITLES[article_id], (page.url, article_id)
    assert '<mark class="trigger" id="hl">' in page.text, page.url
    assert page.text.count('<tr class="chosen">') == 1, page.url
    chosen = page.text.split('<tr class="chosen">')[1].split("</tr>")[0]
    assert event_id in unquote(chosen), (page.url, event_id)


# -- the helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*ODD_IDS.values(), STANCE_ID, PAGER_ID, "ÀÖ\u2028😀", ""])
def test_a_path_segment_is_one_segment_and_decodes_to_the_value(value: str) -> None:
    segment = path_segment(value)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]*", segment), segment
    assert unquote(segment) == value


def test_query_quotes_keys_and_values_and_skips_none() -> None:
    params = {"q": PAGER_Q, "actor": "", "a&b": "c=d", "gone": None}
    built = query(params, offset=100)
    assert "#" not in built and " " not in built and "+" not in built
    assert parse_qsl(built, keep_blank_values=True) == [
        ("q", PAGER_Q), ("actor", ""), ("a&b", "c=d"), ("offset", "100")]


def test_article_href_keeps_dot_ids_out_of_the_path() -> None:
    assert article_href("a?b#c/d%20e&f+g", "e-1") == (
        "/articles/a%3Fb%23c%2Fd%2520e%26f%2Bg?event=e-1")
    assert article_href("..") == "/articles/?id=.."
    assert article_href(".", "e-1") == "/articles/?id=.&event=e-1"
    assert article_href("...") == "/articles/..."  # not a dot segment: a path like any other


# -- the pages --------------------------------------------------------------------------------


def test_events_table_links_open_their_own_article(site: httpx.Client,
                                                   event_article: dict[str, str]) -> None:
    page = site.get("/events")
    sentences = [html.unescape(s) for s in re.findall(
        r'<a class="evidence" href="[^"]*">.*?<td class="sentence">(.*?)</td>', page.text, re.S)]
    evidence = links(page, "/articles/")
    assert len(evidence) == len(sentences) == len(event_article)
    reached = set()
    for (url, _), sentence in zip(evidence, sentences, strict=True):
        # the article is the one whose sentence the row shows: found by its marker, not by id
        found = [a for a, mark in MARKS.items() if mark in sentence]
        assert len(found) == 1, sentence
        article_id = found[0]
        article = follow(site, url)
        assert heading(article) == TITLES[article_id], (url, sentence)
        assert_article_with_event(article, article_id, event_of(url))
        reached.add(article_id)
    assert reached == set(MARKS)


def test_an_article_page_links_its_events_to_itself(site: httpx.Client,
                                                    event_article: dict[str, str]) -> None:
    for url, _ in links(site.get("/events"), "/articles/"):
        article_id = event_article[event_of(url)]
        page = follow(site, url)
        own = links(page, "/articles/")
        assert own, url
        for target, _ in own:
            event_id = event_of(target)
            assert event_article[event_id] == article_id, (url, target)
            assert_article_with_event(follow(site, target), article_id, event_id)


def test_the_brief_id_opens_its_page(site: httpx.Client) -> None:
    """The id of the report: "?" "#" "/" "%" "&" "+" all in one, straight from its link."""
    page = follow(site, site.get("/").url.join(article_href("a?b#c/d%20e&f+g")))
    assert heading(page) == "Article Alpha"
    assert "Alpha affair" in page.text


def test_dot_ids_open_their_page_and_an_empty_path_is_404(site: httpx.Client) -> None:
    assert heading(site.get("/articles/?id=..")) == "Article Delta"
    assert heading(site.get("/articles/?id=.")) == "Article Echo"
    assert heading(site.get("/articles/x%2F..%2Fy")) == "Article Bravo"
    assert site.get("/articles/").status_code == 404
    # the query names the article only when the path does not
    assert site.get("/articles/nothing", params={"id": ".."}).status_code == 404


def test_actor_page_events_open_their_article(site: httpx.Client,
                                              event_article: dict[str, str]) -> None:
    evidence = links(site.get("/actors/RUS"), "/articles/")
    assert evidence, "the actor page lists recent events"
    for url, _ in evidence:
        event_id = event_of(url)
        assert_article_with_event(follow(site, url), event_article[event_id], event_id)


def test_stance_evidence_opens_its_article(site: httpx.Client) -> None:
    evidence = links(site.get("/stance", params={"entity": "KAZ"}), "/articles/")
    assert evidence, "the stance board shows its evidence"
    for url, text in evidence:
        page = follow(site, url)
        assert heading(page) == TITLES[STANCE_ID], url
        assert text in html.unescape(page.text)


def test_actor_and_place_links_open_their_page(site: httpx.Client) -> None:
    pages = [site.get("/"), site.get("/events"), site.get("/actors/RUS")]
    actors = {url for page in pages for url, _ in links(page, "/actors/")}
    assert actors
    for url in actors:
        code = unquote(url.path.removeprefix("/actors/"))
        assert heading(follow(site, url)).startswith(code), url
    to_events = {url for page in [*pages, site.get("/map")] for url, _ in links(page, "/events")}
    assert any(url.params.get("place") for url in to_events)
    for url in to_events:
        page = follow(site, url)
        for name in ("actor", "place"):
            if url.params.get(name):
                assert f'name="{name}" value="{url.params[name]}"' in page.text, url
        assert 'class="evidence"' in page.text, url


def test_the_pager_keeps_a_filter_with_reserved_characters(site: httpx.Client) -> None:
    page = site.get("/events", params={"q": PAGER_Q, "offset": "1"})
    assert "1 event." in page.text and 'class="evidence"' not in page.text
    previous = [url for url, text in links(page, "/events") if text == "previous"]
    assert len(previous) == 1
    assert previous[0].params["q"] == PAGER_Q and previous[0].params["offset"] == "0"
    back = follow(site, previous[0])
    assert 'name="q" value="50% &amp; A+B #deal"' in back.text
    assert back.text.count('class="evidence"') == 1
    (url, _), = links(back, "/articles/")
    assert heading(follow(site, url)) == "Article Pager"
