"""``create_app``: the FastAPI application, its database handle and its error pages.

The database is opened read-only (external access off, settings locked: see
:class:`diurna.api.Database`) and shared by all requests behind a lock, since one DuckDB
connection must not run two statements at once. It is not held for the server's lifetime:
while DuckDB has a file open read-only in one process, no other process can write to it, so the
:class:`Backend` gives the file up whenever an ingest asks for it (and when idle), and opens it
again, with the new rows, for the next request. A request that cannot get the file within a
bounded wait is answered 503 with ``Retry-After``. Saving an article (``allow_writes``) closes
the reader and ingests under the same lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from diurna.api import Database
from diurna.errors import DiurnaError
from diurna.store.database import DatabaseDamaged, reading
from diurna.store.locking import DatabaseBusy, writer_waiting

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_BODY = 2_000_000
DEFAULT_WAIT = 10.0  # seconds a request waits for the file while an ingest writes
DEFAULT_IDLE = 5.0  # seconds after which an unused connection is closed
RETRY_AFTER = "2"  # seconds, in the 503 answered when the wait runs out


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO strings, NaN as None, numpy scalars as Python ones."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if type(value).__name__ == "Timestamp" and value.time() == dt.time():  # pandas DATE
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class _Rows:
    """The ``Store.query`` interface over a :class:`Database` connection, so the shared
    query modules (:mod:`diurna.store.queries`, :mod:`diurna.store.graph_queries`) run on it."""

    def __init__(self, db: Database) -> None:
        self.con = db.con

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params if isinstance(params, dict) else list(params))
        names = [d[0] for d in cursor.description or ()]
        return [{k: plain(v) for k, v in zip(names, row, strict=True)}
                for row in cursor.fetchall()]


def _finish(db: Database) -> None:
    """Drop what a request left unread on the shared connection. DuckDB 2 refuses the next
    statement while an ``execute()`` result is not read to its end (a ``fetchone()`` of a
    count, say): one request must not break the next one's."""
    abort = getattr(db.con, "abort", None)  # DuckDB 2; 1.x drops the old result itself
    if abort is not None:
        # A closed or broken connection: the next use reopens it, or reports the damage.
        with contextlib.suppress(Exception):
            abort()


class Backend:
    """The app's database: one read-only connection behind a lock, opened when needed.

    DuckDB lets one process write a file, and only while no other process has it open, even
    read-only. An ingest announces that it wants to write (the turn file of
    :mod:`diurna.store.locking`) and then opens the file for the moment it writes a batch. Before
    each use the backend looks at the turn file: if an ingest is waiting, it closes its
    connection, waits for the batch to be written, and opens the file again. A watcher thread
    does the same for a connection left idle, and closes one unused for ``idle`` seconds (so a
    writer that does not announce itself, such as a DuckDB shell, gets in too). Every request
    waits at most ``wait`` seconds in all; past that, :class:`DatabaseBusy` (answered 503).
    """

    WATCH_EVERY = 0.05  # seconds between two looks at the turn file while the file is open

    def __init__(
        self,
        db_path: str | Path,
        *,
        allow_writes: bool,
        max_body: int,
        wait: float = DEFAULT_WAIT,
        idle: float = DEFAULT_IDLE,
    ) -> None:
        self.path = Path(db_path)
        self.allow_writes = allow_writes
        self.max_body = max_body
        self.wait = wait
        self.idle = idle
        self.lock = threading.RLock()
        self._db: Database | None = None
        self._depth = 0  # nested uses by the request holding the lock
        self._last_used = time.monotonic()
        self._watcher: threading.Thread | None = None
        # A missing or damaged file is refused now, at start-up, not at the first request.
        with self.database():
            pass

    # -- the connection -----------------------------------------------------------------------

    @contextmanager
    def database(self) -> Iterator[Database]:
        """The open database, for one request (or part of one)."""
        deadline = time.monotonic() + self.wait
        if not self.lock.acquire(timeout=self.wait):
            raise self._busy(f"other requests kept it for more than {self.wait:.3g} s")
        try:
            db = self._ready(deadline)
            self._depth += 1
            try:
                with reading(self.path):
                    yield db
            finally:
                self._depth -= 1
                self._last_used = time.monotonic()
                if self._depth == 0:
                    _finish(db)
        finally:
            self.lock.release()

    @contextmanager
    def rows(self) -> Iterator[_Rows]:
        with self.database() as db:
            yield _Rows(db)

    def _ready(self, deadline: float) -> Database:
        """The connection, after giving way to a waiting writer (called with the lock held)."""
        if self._db is not None and self._depth == 0 and writer_waiting(self.path):
            self._close_db()
        if self._db is None:
            try:
                self._db = Database(self.path, wait=max(0.0, deadline - time.monotonic()))
            except DatabaseBusy as exc:
                raise self._busy(f"another process (an ingest, most likely) is writing to it "
                                 f"and did not let go within {self.wait:.3g} s") from exc
            self._last_used = time.monotonic()
            self._start_watcher()
        return self._db

    def _busy(self, why: str) -> DatabaseBusy:
        return DatabaseBusy(f"{self.path}: the database is busy: {why}; try again in a moment")

    def _close_db(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            db.close()

    def _start_watcher(self) -> None:
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="diurna-db-watcher",
                                             daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        """Close the connection when a writer waits or it has been idle; end with it."""
        while True:
            time.sleep(self.WATCH_EVERY)
            if not self.lock.acquire(blocking=False):
                continue  # a request is using it: the next request checks the turn itself
            try:
                if self._db is None:
                    self._watcher = None
                    return
                if (writer_waiting(self.path)
                        or time.monotonic() - self._last_used > self.idle):
                    self._close_db()
                    self._watcher = None
                    return
            finally:
                self.lock.release()

    # -- writing and closing ------------------------------------------------------------------

    def save(self, record: dict[str, Any]) -> dict[str, Any]:
        """Ingest one ``{title, text, url, published}`` record (only with ``allow_writes``)."""
        from diurna.jobs.ingest import ingest

        with self.lock, tempfile.TemporaryDirectory(prefix="diurna-web-") as folder:
            path = Path(folder) / "submitted.jsonl"
            path.write_text(json.dumps(record) + "\n", encoding="utf-8")
            # DuckDB refuses a writable connection in a process that has the file open
            # read-only: give it up; the next request opens it again, with the new article.
            self._close_db()
            summary = ingest([path], db=self.path)
            return summary.as_dict()

    def close(self) -> None:
        """Let go of the file (a later request would open it again)."""
        with self.lock:
            self._close_db()


def create_app(
    db_path: str | Path,
    *,
    allow_writes: bool = False,
    max_body: int = DEFAULT_MAX_BODY,
    wait: float = DEFAULT_WAIT,
) -> FastAPI:
    """The web app over the database ``db_path`` (which must exist).

    Args:
        db_path: a Diurna DuckDB file, opened read-only.
        allow_writes: let ``POST /api/extract`` save an article when asked (``save: true``);
            without it such a request gets 403 and nothing is ever written.
        max_body: the largest request body accepted, in bytes (413 above).
        wait: the longest a request waits for the file while an ingest writes to it, in
            seconds (503 with ``Retry-After`` past it).

    Raises:
        StoreError: the file is missing or damaged, or stayed busy past ``wait``.
    """
    from diurna.web import api, links, pages

    backend = Backend(db_path, allow_writes=allow_writes, max_body=max_body, wait=wait)
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        backend.close()

    app = FastAPI(
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: off. The schema stays.
        docs_url=None,
        redoc_url=None,
        title="Diurna",
        summary="Political event data from news: events, actors, relations, stances.",
        version="0.1.0",
    )
    app.state.backend = backend
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on
    # Links are built only through these helpers: ids and codes in them are quoted.
    links.register(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    def _wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
        templates: Jinja2Templates = app.state.templates
        return templates.TemplateResponse(
            request, "error.html",
            {"status": status, "message": message, "allow_writes": backend.allow_writes},
            status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return _error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""),
                   "type": e.get("type", "")} for e in exc.errors()]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        message = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}"
                            for e in errors)
        return _error_page(request, 422, message)

    @app.exception_handler(DiurnaError)
    async def diurna_error(request: Request, exc: DiurnaError) -> Any:
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return _error_page(request, 400, str(exc))

    @app.exception_handler(DatabaseBusy)
    async def database_busy(request: Request, exc: DatabaseBusy) -> Any:
        # An ingest had the file for longer than the request could wait: a passing state, so
        # 503 and when to come back rather than an error.
        headers = {"Retry-After": RETRY_AFTER}
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=503, headers=headers)
        response = _error_page(request, 503, str(exc))
        response.headers.update(headers)
        return response

    @app.exception_handler(DatabaseDamaged)
    async def database_damaged(request: Request, exc: DatabaseDamaged) -> Any:
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=500)
        return _error_page(request, 500, str(exc))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self';"
                " img-src 'self' data:; object-src 'none'; base-uri 'none';"
                " frame-ancestors 'none'")
        return response

    return app
