"""The pages in a real browser: Debian's chromium driven by Playwright, against uvicorn.

Needs ``pip install playwright`` (no browser download) and ``/usr/bin/chromium``
(``apt-get install -y chromium``); skipped otherwise. Screenshots go to ``tests/output/``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is absent (apt-get install -y chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install playwright)")

from diurna.api import Database  # noqa: E402
from diurna.web import create_app  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[1] / "output"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TEXT = ("ALMATY, March 3, 2023 — Kazakhstan will not recognise the breakaway republics, "
        "Foreign Minister Arman Seitkali said. Russia condemned the decision.")


@contextmanager
def serving(db: Path) -> Iterator[str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                           log_level="warning"))
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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    OUTPUT.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_explore_filter_evidence_map_graph_try(page, examples_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Database(examples_path) as db:
        rus = len(db.events(actor="RUS"))
    with serving(examples_path) as base:
        page.goto(f"{base}/events")
        page.fill("input[name=actor]", "RUS")
        page.click("#apply")
        page.wait_for_url("**/events?actor=RUS*")
        assert page.locator("table.events tbody tr").count() == rus
        page.screenshot(path=str(OUTPUT / "events.png"), full_page=True)

        trigger = page.locator("a.evidence").first.inner_text()
        page.locator("a.evidence").first.click()
        page.wait_for_url("**/articles/**")
        mark = page.locator("mark.trigger#hl")
        assert mark.is_visible() and mark.inner_text() == trigger
        page.screenshot(path=str(OUTPUT / "evidence.png"), full_page=True)

        page.goto(f"{base}/map")
        markers = page.locator("svg.map circle.marker")
        assert markers.count() >= 5
        box = page.locator("svg.map").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        assert page.locator("svg.map path.land").count() > 100
        ukraine = page.locator('svg.map path[data-iso3="UKR"]')
        assert "shade-" in (ukraine.get_attribute("class") or "")
        assert "Ukraine" in (ukraine.locator("title").text_content() or "")
        iceland = page.locator('svg.map path[data-iso3="ISL"]')
        # the stylesheet fills a shaded country differently from one without events
        sync_api.expect(iceland).to_have_css("fill", "rgb(228, 226, 218)")
        sync_api.expect(ukraine).not_to_have_css("fill", "rgb(228, 226, 218)")
        ukraine_box = ukraine.bounding_box()
        assert ukraine_box and ukraine_box["x"] > box["x"] + box["width"] / 2  # east of 0°
        page.screenshot(path=str(OUTPUT / "map.png"), full_page=True)
        page.locator("svg.map").screenshot(path=str(OUTPUT / "map-svg.png"))
        # east of Kyiv, off the capital's circle (which links to the same page)
        ukraine.click(position={"x": ukraine_box["width"] * 0.85,
                                "y": ukraine_box["height"] * 0.4})
        page.wait_for_url("**/events?place=UKR*")
        assert page.locator("table.events tbody tr").count() > 0
        page.goto(f"{base}/map")

        page.goto(f"{base}/actors/RUS")
        assert page.locator("svg.network circle").count() >= 2
        assert page.locator("svg.network line").count() >= 1
        page.screenshot(path=str(OUTPUT / "actor.png"), full_page=True)

        page.goto(f"{base}/")
        assert page.locator("svg.timeline rect.bar").count() > 0
        page.screenshot(path=str(OUTPUT / "overview.png"), full_page=True)

        page.goto(f"{base}/try")
        page.fill("#try-text", TEXT)
        page.click("#try-run")
        # (wait_for_function would evaluate a string: the pages' CSP forbids that)
        sync_api.expect(page.locator("#try-status")).to_contain_text("found", timeout=60_000)
        assert "nothing was saved" in page.inner_text("#try-status")
        assert page.locator("#try-events tbody tr").count() > 0
        page.screenshot(path=str(OUTPUT / "try.png"), full_page=True)
    assert page.dialogs == []


def test_hostile_article_runs_no_script(page, hostile_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Database(hostile_path) as db:
        article_id = db.articles()["id"][0]
        events = list(db.events()["id"])
    with serving(hostile_path) as base:
        urls = [f"{base}/articles/{article_id}", f"{base}/", f"{base}/events",
                *(f"{base}/articles/{article_id}?event={e}" for e in events)]
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("load")
            assert page.locator("main script").count() == 0
            assert page.locator("main img").count() == 0
        page.goto(f"{base}/articles/{article_id}")
        assert "<script>alert(1)</script>" in page.inner_text(".article-text") or \
            "alert(1)" not in page.inner_text(".article-text")
        assert "<img src=x onerror=alert(1)>" in page.inner_text("h1")
        page.screenshot(path=str(OUTPUT / "hostile.png"), full_page=True)
    assert page.dialogs == []
