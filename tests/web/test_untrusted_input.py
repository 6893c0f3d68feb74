"""Untrusted input against the web app: markup and script in articles, hostile URLs, uploads
on "Try it", oversize and mistyped bodies, and malformed parameters on every endpoint.

Article text, titles, URLs and ids come from the web; request parameters and bodies come from
anyone who can reach the server. None of it may run as script, become a link that runs script,
name a file, or make the server fail (5xx) instead of answering with a clear 4xx.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diurna.api import Database
from diurna.jobs.ingest import ingest
from diurna.web import api as web_api
from diurna.web import create_app
from diurna.web import pages as web_pages
from diurna.web.pages import web_link

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
ATTR = '" onmouseover="alert(3)" x="'
SQUOTE = "' onfocus='alert(4)' autofocus '"
SVG = "<svg/onload=alert(5)>"
PAYLOADS = (SCRIPT, IMG, ATTR, SQUOTE, SVG)
ODD_ID = 'inj/2"><svg onload=alert(7)>'
RECORDS: list[dict[str, Any]] = [
    {"id": "inj-1", "title": f"Talks {SCRIPT} {ATTR}", "url": "javascript:alert(6)",
     "published": "2024-05-02", "source": IMG, "author": SQUOTE,
     "text": ("ALMATY, May 2, 2024 — Kazakhstan does not recognise the Donetsk People's "
              f"Republic, Foreign Minister Arman Seitkali said {IMG}. Russia condemned Ukraine "
              f"on Monday {SCRIPT}. \"We will never accept this {SVG},\" the Ukrainian president "
              f"said. Ukraine accused Russia of shelling the city of Kharkiv {ATTR}, officials "
              f"said. At least 12 people were killed in Kharkiv on Monday, officials said "
              f"{SQUOTE}.")},
    {"id": ODD_ID, "title": SVG, "url": " JaVaScRiPt:alert(8)", "published": "2024-05-03",
     "text": (f"KYIV, May 3, 2024 — Ukraine condemned Russia {ATTR} on Tuesday. Russia "
              f"threatened Ukraine with sanctions {IMG}.")},
    {"id": "inj-3", "title": "A safe link", "url": 'https://example.test/a?b=1&c="2"',
     "published": "2024-05-04",
     "text": "LONDON, May 4, 2024 — Britain criticised Russia on Wednesday."},
]
TEXT = ("ALMATY, March 3, 2023 — Kazakhstan will not recognise the breakaway republics, "
        "Foreign Minister Arman Seitkali said. Russia condemned the decision.")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


@pytest.fixture(scope="module")
def injected_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web-injection")
    lines = "".join(json.dumps(r) + "\n" for r in RECORDS)
    (folder / "injected.jsonl").write_text(lines, encoding="utf-8")
    path = folder / "injected.duckdb"
    assert ingest([folder / "injected.jsonl"], db=path).new == len(RECORDS)
    return path


@pytest.fixture(scope="module")
def injected(injected_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(injected_path), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def lenient(examples_path: Path) -> Iterator[TestClient]:
    """The examples app, answering a server error with a 500 instead of raising it."""
    with TestClient(create_app(examples_path), raise_server_exceptions=False) as c:
        yield c


def page_urls(path: Path) -> list[str]:
    """Every page of the app over ``path``, with each article once per event."""
    with Database(path) as db:
        events = db.events()[["id", "article_id"]].to_dict(orient="records")
        articles = list(db.articles()["id"])
    urls = ["/", "/events", "/events?q=alert", "/events?actor=UKR", "/map", "/try",
            "/stance?entity=KAZ", "/stance?entity=UKRDPR", "/actors/KAZ", "/actors/UKR",
            "/actors/RUS", f"/events?q={quote(ATTR)}", f"/events?q={quote(SCRIPT)}",
            f"/articles/{quote(SCRIPT, safe='')}", f"/stance?entity={quote(SCRIPT)}",
            f"/events?place={quote(IMG)}"]
    urls += [f"/articles/{quote(a, safe='')}" for a in articles]
    urls += [f"/articles/{quote(e['article_id'], safe='')}?event={quote(e['id'])}"
             for e in events]
    return urls


class _Tags(HTMLParser):
    """The start tags of a page with their attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def audit(html: str) -> list[str]:
    """What in ``html`` could run script: event-handler attributes, script-bearing URLs,
    inline scripts, images, frames and plugins."""
    parser = _Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag == "script" and not (attrs.get("src") or "").endswith("/static/try.js"):
            problems.append(f"script {attrs}")
        if tag in ("img", "iframe", "frame", "object", "embed", "base", "link") and not (
                tag == "link" and attrs.get("rel") == "stylesheet"):
            problems.append(f"<{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            cleaned = "".join(c for c in (value or "") if c.isprintable() and not c.isspace())
            if name in URL_ATTRIBUTES and cleaned.lower().startswith(BAD_SCHEMES):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


# -- HTML and script injection ------------------------------------------------------------------


def test_audit_finds_what_it_looks_for() -> None:
    assert audit(f"<p>{SCRIPT}</p>") and audit(IMG) and audit(SVG)
    assert audit(f'<input value="{ATTR}">') and audit(f"<input value='{SQUOTE}'>")
    assert audit('<a href=" JaVa\tScRiPt:alert(1)">x</a>')
    assert audit('<script src="/static/try.js"></script><p title="&lt;img&gt;">ok</p>') == []


def test_no_page_carries_a_live_payload(injected: TestClient, injected_path: Path) -> None:
    seen_escaped: set[str] = set()
    for url in page_urls(injected_path):
        response = injected.get(url)
        assert response.status_code in (200, 404, 422), (url, response.status_code)
        assert response.headers["content-type"].startswith("text/html"), url
        html = response.text
        for payload in PAYLOADS:
            assert payload not in html, (url, payload)
        assert audit(html) == [], url
        seen_escaped.update(p for p in ("&lt;script&gt;alert(1)&lt;/script&gt;",
                                        "&lt;img src=x onerror=alert(2)&gt;",
                                        "&lt;svg/onload=alert(5)&gt;", "&#34; onmouseover=&#34;",
                                        "&#39; onfocus=&#39;") if p in html)
    # the payloads did reach the pages, escaped: the test is not vacuous
    assert len(seen_escaped) == 5, seen_escaped


@pytest.mark.parametrize(("url", "expected"), [
    ("/articles/inj-1", ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;svg/onload=alert(5)&gt;",
                         "&lt;img src=x onerror=alert(2)&gt;"]),
    ("/stance?entity=KAZ", ["&lt;img src=x onerror=alert(2)&gt;"]),
    ("/events", ["&lt;script&gt;alert(1)&lt;/script&gt;"]),
    (f"/events?q={quote(ATTR)}", ['value="&#34; onmouseover=&#34;alert(3)&#34; x=&#34;"']),
])
def test_payloads_show_as_text_where_they_occur(injected: TestClient, url: str,
                                                expected: list[str]) -> None:
    html = injected.get(url).text
    for text in expected:
        assert text in html, (url, text)


def test_article_urls_become_links_only_when_http(injected: TestClient) -> None:
    js = injected.get("/articles/inj-1").text
    assert '<span class="url">javascript:alert(6)</span>' in js
    assert 'href="javascript' not in js.lower()
    odd = injected.get(f"/articles/{quote(ODD_ID, safe='')}")
    assert odd.status_code == 200, "an id holding '/' and markup has its page"
    assert '<span class="url"> JaVaScRiPt:alert(8)</span>' in odd.text
    safe = injected.get("/articles/inj-3").text
    assert ('<a class="url" href="https://example.test/a?b=1&amp;c=&#34;2&#34;" '
            'rel="noopener noreferrer nofollow">') in safe


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.test/x",
    "file:///etc/passwd", "https://", "https:///etc/passwd", "http:/x.test",
    "https://x.test/a b", "https://x.test/\nx", "https://x.test/" + "a" * 2000, "", None,
])
def test_web_link_refuses_what_is_not_plain_http(url: str | None) -> None:
    assert web_link(url) is None


def test_web_link_keeps_http_addresses() -> None:
    for url in ("http://x.test", "https://x.test/a?b=1&c=%22", "HTTPS://X.TEST/"):
        assert web_link(url) == url


def test_api_returns_json_not_html(injected: TestClient) -> None:
    article = injected.get("/api/articles/inj-1")
    assert article.headers["content-type"] == "application/json"
    assert article.headers["x-content-type-options"] == "nosniff"
    assert SCRIPT in article.json()["title"]  # data as it is: JSON, which no browser renders
    odd = injected.get(f"/api/articles/{quote(ODD_ID, safe='')}")
    assert odd.status_code == 200 and odd.json()["id"] == ODD_ID


def test_extract_result_of_hostile_text_is_json(lenient: TestClient) -> None:
    response = lenient.post("/api/extract", json={"text": f"{TEXT} {SCRIPT} {IMG}",
                                                  "title": ATTR, "url": "javascript:alert(1)"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["record"]["title"] == ATTR


# -- uploads and bodies on /try -----------------------------------------------------------------


def _multipart(filename: bytes, content: bytes, boundary: str = "diurna-boundary"
               ) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body built by hand, so that any filename bytes can be sent."""
    body = (b"--" + boundary.encode() + b"\r\n"
            b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + content + b"\r\n--"
            + boundary.encode() + b"--\r\n")
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


def _tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def sandbox(tmp_path: Path, examples_path: Path, monkeypatch: pytest.MonkeyPatch
            ) -> dict[str, Path]:
    """A writable copy of the examples database, with the temporary folder and the working
    directory moved into ``tmp_path``, so that every file the app writes can be seen."""
    db_dir, temp, cwd = tmp_path / "db", tmp_path / "temp", tmp_path / "cwd"
    for folder in (db_dir, temp, cwd):
        folder.mkdir()
    shutil.copy(examples_path, db_dir / "copy.duckdb")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(cwd)
    return {"root": tmp_path, "db": db_dir / "copy.duckdb", "temp": temp, "cwd": cwd}


TRAVERSALS = [b"../../etc/passwd", b"/etc/passwd", b"..\\..\\windows\\win.ini",
              b"evil\x00.txt", b"../" * 20 + b"tmp/diurna-pwned", b"%2e%2e%2fetc%2fpasswd"]


@pytest.mark.parametrize("filename", TRAVERSALS)
def test_a_file_upload_is_refused_and_writes_nothing(sandbox: dict[str, Path],
                                                     filename: bytes) -> None:
    before = _tree(sandbox["root"])
    with TestClient(create_app(sandbox["db"], allow_writes=True)) as writable:
        n = len(writable.get("/api/articles", params={"limit": 1000}).json()["articles"])
        body, headers = _multipart(filename, TEXT.encode())
        response = writable.post("/api/extract", content=body, headers=headers)
        assert response.status_code == 415
        assert "application/json" in response.json()["detail"]
        assert len(writable.get("/api/articles", params={"limit": 1000}).json()[
            "articles"]) == n
    assert _tree(sandbox["root"]) == before
    assert not Path("/tmp/diurna-pwned").exists()


def test_saving_takes_names_from_a_body_as_data_never_as_paths(sandbox: dict[str, Path]
                                                                ) -> None:
    passwd = Path("/etc/passwd")
    stamp = passwd.stat().st_mtime_ns if passwd.exists() else None
    outside = sandbox["root"] / "pwned"
    with TestClient(create_app(sandbox["db"], allow_writes=True)) as writable:
        response = writable.post("/api/extract", json={
            "text": TEXT + " Saved once.", "title": "../../etc/passwd",
            "url": "file:///etc/passwd", "filename": f"../../{outside}", "path": "/etc/passwd",
            "published": "2023-03-03", "save": True})
        assert response.status_code == 200, response.text
        assert response.json()["saved"]["new"] == 1
        titles = [a["title"] for a in writable.get(
            "/api/articles", params={"limit": 1000}).json()["articles"]]
        assert "../../etc/passwd" in titles
    assert not outside.exists()
    assert list(sandbox["temp"].iterdir()) == [], "the temporary file is removed"
    assert list(sandbox["cwd"].iterdir()) == []
    # the database and its own companions (write-ahead log, the ingest's lock file) only
    assert all(p.name.startswith("copy.duckdb") for p in sandbox["db"].parent.iterdir())
    if stamp is not None:
        assert passwd.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "text/html", "application/jsonx", "application/xml", None,
])
def test_extract_wants_a_json_content_type(lenient: TestClient, content_type: str | None
                                           ) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = lenient.post("/api/extract", content=json.dumps({"text": TEXT}).encode(),
                            headers=headers)
    assert response.status_code == 415
    detail = response.json()["detail"]
    assert "Content-Type: application/json" in detail


def test_extract_takes_json_with_a_charset(lenient: TestClient) -> None:
    response = lenient.post("/api/extract", content=json.dumps({"text": TEXT}).encode(),
                            headers={"content-type": "Application/JSON; charset=utf-8"})
    assert response.status_code == 200


@pytest.mark.parametrize(("body", "status"), [
    (b"{", 422), (b"[]", 422), (b"null", 422), (b'{"text": 5}', 422), (b'{"text": ""}', 422),
    (b'{"text": "\\ud800 lone surrogate"}', 422), (b"\xff\xfe\x00", 422),
    (b'{"text": "x", "published": "2024-02-30"}', 422), (b'{"text": "x", "title": 1}', 422),
    (b'{"text": "x", "save": "yes please"}', 422), (b'{"text": "x", "save": true}', 403),
    (b'{"text": "x", "title": "' + b"t" * 1001 + b'"}', 422),
])
def test_extract_refuses_malformed_bodies_with_a_clear_4xx(lenient: TestClient, body: bytes,
                                                           status: int) -> None:
    response = lenient.post("/api/extract", content=body,
                            headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["detail"]


def test_oversize_bodies_get_413_declared_or_streamed(examples_path: Path) -> None:
    with TestClient(create_app(examples_path, max_body=1000),
                    raise_server_exceptions=False) as small:
        declared = small.post("/api/extract", content=b"x" * 1001,
                              headers={"content-type": "application/json"})
        assert declared.status_code == 413
        assert declared.json()["detail"] == "the body is larger than 1000 bytes"

        def chunks() -> Iterator[bytes]:  # no Content-Length: chunked, counted as it comes
            for _ in range(100):
                yield b" " * 100

        streamed = small.post("/api/extract", content=chunks(),
                              headers={"content-type": "application/json"})
        assert streamed.status_code == 413 and "1000 bytes" in streamed.json()["detail"]
        exact = json.dumps({"text": TEXT}).encode().ljust(1000)
        assert small.post("/api/extract", content=exact,
                          headers={"content-type": "application/json"}).status_code == 200
        assert "At most 1000 bytes" in small.get("/try").text


@contextmanager
def serving(db: Path, **options: Any) -> Iterator[str]:
    """The app behind a real uvicorn server on a free loopback port."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(db, **options), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _raw_answer(base: str, head: bytes, chunks: int) -> bytes:
    """Send ``head`` and then ``chunks`` chunks of 64 kB of a body that never ends, and read
    the answer that comes back: the server must answer without waiting for the end."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(head)
        piece = b" " * 65536
        for _ in range(chunks):
            s.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        answer = b""
        while True:
            header, blank, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"content-length: *(\d+)", header, re.I)
            if blank and (length is None or len(body) >= int(length.group(1))):
                return answer
            more = s.recv(4096)
            if not more:
                return answer
            answer += more


def test_a_real_server_answers_413_before_an_endless_body_ends(examples_path: Path) -> None:
    with serving(examples_path, max_body=100_000) as base:
        chunked = _raw_answer(base, b"POST /api/extract HTTP/1.1\r\nHost: x\r\n"
                                    b"Content-Type: application/json\r\n"
                                    b"Transfer-Encoding: chunked\r\n\r\n", chunks=4)
        assert chunked.startswith(b"HTTP/1.1 413"), chunked[:200]
        assert b"the body is larger than 100000 bytes" in chunked
        declared = _raw_answer(base, b"POST /api/extract HTTP/1.1\r\nHost: x\r\n"
                                     b"Content-Type: application/json\r\n"
                                     b"Content-Length: 1000000000000\r\n\r\n", chunks=0)
        assert declared.startswith(b"HTTP/1.1 413"), declared[:200]
        assert httpx.get(f"{base}/api/events", params={"limit": 1}).status_code == 200


# -- malformed parameters -----------------------------------------------------------------------


# Values that a parameter of any type might choke on. The numbers are drawn often on purpose:
# a bound missing from one integer parameter is the likeliest way to a 5xx.
HUGE = ["9" * 40, str(2**63), str(-(2**63) - 1), "9" * 400]
HOSTILE_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(HUGE),
    st.floats().map(str),
    st.dates().map(str),
    st.sampled_from([
        "", "\x00", "a\x00b", "null", "true", "-1", "0", "1e309", "NaN", "inf", "0x10",
        "2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31", "+10000-01-01",
        "2024-01-01T25:00", "' OR 1=1 --", "%", "_", "\\", SCRIPT, ATTR, "x" * 5000,
        "KAZ\x00", "ＫＡＺ", "٣", "asserted", "month", "ok", "1", "4",
        "../../etc/passwd", "\u2028", "\ud7ff", "😀" * 50,
    ]),
)
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
# Fewer for path parameters: an actor or article page costs several queries.
FUZZ_PATHS = settings(FUZZ, max_examples=50)


def _routes(router: Any) -> list[tuple[str, list[str], list[str]]]:
    """(path, query parameters, path parameters) of every GET route of ``router``, read from
    the routes themselves: a parameter or endpoint added later is fuzzed too."""
    return [(r.path, [q.name for q in r.dependant.query_params],
             [q.name for q in r.dependant.path_params])
            for r in router.routes if isinstance(r, APIRoute) and "GET" in r.methods]


def _concrete(path: str) -> str:
    """``path`` with each path parameter set to a harmless value."""
    return re.sub(r"\{[^}]+\}", "x", path)


API_PARAMS = sorted((path, name) for path, names, _ in _routes(web_api.router) for name in names)
API_PATH_PARAMS = sorted(path for path, _, names in _routes(web_api.router) if names)
PAGE_PARAMS = sorted((_concrete(path), name)
                     for path, names, _ in _routes(web_pages.router) for name in names)
PAGE_PATH_PARAMS = sorted(path for path, _, names in _routes(web_pages.router) if names)


def _check_json_answer(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/json", what
    body = response.json()
    assert isinstance(body, dict), what
    if response.status_code >= 400:
        detail = body.get("detail")
        assert detail, what
        if isinstance(detail, list):
            assert all(d.get("msg") and d.get("loc") is not None for d in detail), what
        else:
            assert isinstance(detail, str), what


def _check_page_answer(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html"), what
    if response.status_code >= 400:
        assert '<p class="error">' in response.text, what
    assert audit(response.text) == [], what


def test_the_fuzzed_routes_are_all_there() -> None:
    assert {path for path, _ in API_PARAMS} >= {
        "/api/articles", "/api/events", "/api/actors", "/api/relations", "/api/stance",
        "/api/counts", "/api/quotes", "/api/timeline"}
    assert ("/api/events", "offset") in API_PARAMS and len(API_PARAMS) >= 25
    assert ("/events", "offset") in PAGE_PARAMS and ("/articles/x", "event") in PAGE_PARAMS
    assert len(API_PATH_PARAMS) == 3 and len(PAGE_PATH_PARAMS) == 2


@FUZZ
@given(target=st.sampled_from(API_PARAMS), value=HOSTILE_VALUES)
@example(target=("/api/events", "offset"), value="9" * 40)
@example(target=("/api/events", "q"), value="a\x00b")
@example(target=("/api/events", "since"), value="0000-00-00")
def test_each_api_query_parameter_never_fails_the_server(
    lenient: TestClient, target: tuple[str, str], value: str
) -> None:
    path, name = target
    _check_json_answer(lenient.get(path, params={name: value}), f"{path} {name}={value!r}")


@FUZZ
@given(data=st.data())
def test_api_parameters_together_never_fail_the_server(lenient: TestClient,
                                                       data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(sorted({p for p, _ in API_PARAMS})))
    names = [n for p, n in API_PARAMS if p == path]
    params = data.draw(st.dictionaries(st.sampled_from(names), HOSTILE_VALUES, max_size=4))
    _check_json_answer(lenient.get(path, params=params), f"{path} {params!r}")


@FUZZ_PATHS
@given(path=st.sampled_from(API_PATH_PARAMS), value=HOSTILE_VALUES)
@example(path="/api/articles/{article_id:path}", value="a/b/../c")
@example(path="/api/events/{event_id}", value="\x00" * 100)
def test_api_path_parameters_never_fail_the_server(lenient: TestClient, path: str, value: str
                                                   ) -> None:
    if not value.strip(".") or value.startswith("/"):
        return  # "", "." and ".." are other URLs, which a client normalises away
    response = lenient.get(re.sub(r"\{[^}]+\}", lambda _: quote(value, safe=""), path))
    _check_json_answer(response, f"{path} {value!r}")
    assert response.status_code in (200, 404, 422)


@FUZZ
@given(target=st.sampled_from(PAGE_PARAMS), value=HOSTILE_VALUES)
@example(target=("/events", "offset"), value="9" * 40)
@example(target=("/events", "offset"), value=str(2**63))
@example(target=("/events", "since"), value="2024-02-30")
def test_each_page_parameter_never_fails_the_server(
    lenient: TestClient, target: tuple[str, str], value: str
) -> None:
    path, name = target
    _check_page_answer(lenient.get(path, params={name: value}), f"{path} {name}={value!r}")


@FUZZ
@given(data=st.data())
def test_page_parameters_together_never_fail_the_server(lenient: TestClient,
                                                        data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(sorted({p for p, _ in PAGE_PARAMS})))
    names = [n for p, n in PAGE_PARAMS if p == path]
    params = data.draw(st.dictionaries(st.sampled_from(names), HOSTILE_VALUES, max_size=4))
    _check_page_answer(lenient.get(path, params=params), f"{path} {params!r}")


@FUZZ_PATHS
@given(path=st.sampled_from(PAGE_PATH_PARAMS), value=HOSTILE_VALUES)
def test_page_path_parameters_never_fail_the_server(lenient: TestClient, path: str, value: str
                                                    ) -> None:
    if not value.strip(".") or value.startswith("/"):
        return
    response = lenient.get(re.sub(r"\{[^}]+\}", lambda _: quote(value, safe=""), path))
    _check_page_answer(response, f"{path} {value!r}")
    assert response.status_code in (200, 404, 422)


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/events", {"limit": "-5"}, "limit"), ("/api/events", {"limit": "0"}, "limit"),
    ("/api/events", {"limit": "1" + "0" * 40}, "limit"),
    ("/api/events", {"offset": "-1"}, "offset"), ("/api/events", {"offset": "9" * 40}, "offset"),
    ("/api/events", {"quad_class": "two"}, "quad_class"),
    ("/api/events", {"since": "2024-02-30"}, "since"),
    ("/api/events", {"until": "\x00"}, "until"), ("/api/events", {"modality": "maybe"}, "modality"),
    ("/api/events", {"q": "x" * 10_000}, "q"), ("/api/events", {"q": ""}, "q"),
    ("/api/events", {"actor": "K\x00Z"}, "actor"), ("/api/articles", {"status": "gone"}, "status"),
    ("/api/articles", {"offset": "1e3"}, "offset"), ("/api/actors", {"country": "Kazakh"},
                                                     "country"),
    ("/api/relations", {"predicate": "DROP TABLE"}, "predicate"),
    ("/api/stance", {}, "entity"), ("/api/stance", {"entity": "x" * 41}, "entity"),
    ("/api/counts", {"kind": "12"}, "kind"), ("/api/quotes", {"speaker": "<b>"}, "speaker"),
    ("/api/timeline", {"by": "decade"}, "by"), ("/api/timeline", {"actor": "\u2028"}, "actor"),
])
def test_malformed_parameters_get_422_naming_the_parameter(
    lenient: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    response = lenient.get(path, params=params)
    assert response.status_code == 422, response.text
    _check_json_answer(response, path)
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == field and detail[0]["msg"]


def test_page_offsets_are_bounded(lenient: TestClient) -> None:
    for offset in ("1" + "0" * 30, str(2**63), "-1", "x"):
        response = lenient.get("/events", params={"offset": offset})
        assert response.status_code == 422, offset
        assert "offset" in response.text


def test_long_ids_are_not_echoed_whole(lenient: TestClient) -> None:
    long_id = "x" * 20_000
    for url in (f"/api/articles/{long_id}", f"/api/events/{long_id}"):
        response = lenient.get(url)
        assert response.status_code == 404
        assert len(response.json()["detail"]) < 200
    page = lenient.get(f"/articles/{long_id}")
    assert page.status_code == 404 and len(page.text) < 10_000


def test_other_methods_are_405_json(lenient: TestClient) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = lenient.request(method, "/api/events")
        assert response.status_code == 405
        assert response.json()["detail"]


# -- in a real browser --------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[1] / "output"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    OUTPUT.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


LIVE = ("main script:not([src$='/static/try.js']), main img, main iframe, main object, "
        "main embed, [onerror], [onload], [onmouseover], [onfocus], [onclick], "
        "a[href^='javascript:' i], a[href^=' javascript:' i], a[href^='data:' i]")


def test_no_page_runs_a_payload_in_the_browser(page: Any, injected_path: Path) -> None:
    with serving(injected_path) as base:
        for url in page_urls(injected_path):
            page.goto(base + url)
            page.wait_for_load_state("load")
            assert page.locator(LIVE).count() == 0, url
            for target in ("h1", "main .url", "main td", "main li"):
                found = page.locator(target)
                if found.count():
                    found.first.hover()  # an injected onmouseover would fire now
            assert page.dialogs == [], url
        page.goto(f"{base}/articles/inj-1")
        assert SCRIPT in page.inner_text("h1") and ATTR in page.inner_text("h1")
        assert page.inner_text("main .url") == "javascript:alert(6)"
        assert page.locator("main a.url").count() == 0
        page.screenshot(path=str(OUTPUT / "injection-article.png"), full_page=True)
    assert page.dialogs == []


def test_try_it_uploads_text_not_files(page: Any, injected_path: Path) -> None:
    posted: list[tuple[str | None, str | None]] = []
    page.on("request", lambda r: posted.append((r.headers.get("content-type"), r.post_data))
            if r.url.endswith("/api/extract") else None)
    hostile = f"{TEXT} {SCRIPT} {IMG} {ATTR}"
    with serving(injected_path, max_body=3000) as base:
        page.goto(f"{base}/try")
        page.set_input_files("#try-file", files=[{
            "name": "../../etc/passwd", "mimeType": "text/plain",
            "buffer": hostile.encode()}])
        from playwright.sync_api import expect

        expect(page.locator("#try-text")).to_have_value(hostile)
        page.click("#try-run")
        expect(page.locator("#try-status")).to_contain_text("found", timeout=60_000)
        assert page.locator("#try-events tbody tr").count() > 0
        assert page.locator(LIVE).count() == 0
        assert page.dialogs == []
        assert posted and all(kind == "application/json" for kind, _ in posted)
        sent = json.loads(posted[0][1] or "{}")
        assert sent["text"] == hostile and "passwd" not in (posted[0][1] or "")
        page.screenshot(path=str(OUTPUT / "injection-try.png"), full_page=True)

        # a file over the limit is refused in the page, a text over it by the server (413)
        page.set_input_files("#try-file", files=[{
            "name": "big.txt", "mimeType": "text/plain", "buffer": b"x" * 5000}])
        expect(page.locator("#try-status")).to_contain_text("larger than 3000 bytes")
        page.fill("#try-text", "word " * 1000)
        page.click("#try-run")
        expect(page.locator("#try-status")).to_contain_text(
            "Error 413: the body is larger than 3000 bytes")
    assert page.dialogs == []

