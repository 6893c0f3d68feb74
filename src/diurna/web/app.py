"""``create_app``: the FastAPI application, its database handle and its error pages.

The database is opened read-only (external access off, settings locked: see
:class:`diurna.api.Database`) and shared by all requests behind a lock, since one DuckDB
connection must not run two statements at once. Saving an article (``allow_writes``) closes
the reader, ingests, and opens it again under the same lock.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
import threading
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

HERE = Path(__file__).resolve().parent
DEFAULT_MAX_BODY = 2_000_000


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


class Backend:
    """The app's database: one read-only connection behind a lock."""

    def __init__(self, db_path: str | Path, *, allow_writes: bool, max_body: int) -> None:
        self.path = Path(db_path)
        self.allow_writes = allow_writes
        self.max_body = max_body
        self.lock = threading.RLock()
        self.db = Database(self.path)

    @contextmanager
    def rows(self) -> Iterator[_Rows]:
        with self.lock:
            yield _Rows(self.db)

    @contextmanager
    def database(self) -> Iterator[Database]:
        with self.lock:
            yield self.db

    def save(self, record: dict[str, Any]) -> dict[str, Any]:
        """Ingest one ``{title, text, url, published}`` record (only with ``allow_writes``)."""
        from diurna.jobs.ingest import ingest

        with self.lock, tempfile.TemporaryDirectory(prefix="diurna-web-") as folder:
            path = Path(folder) / "submitted.jsonl"
            path.write_text(json.dumps(record) + "\n", encoding="utf-8")
            self.db.close()
            try:
                summary = ingest([path], db=self.path)
            finally:
                self.db = Database(self.path)
            return summary.as_dict()

    def close(self) -> None:
        with self.lock:
            self.db.close()


def create_app(
    db_path: str | Path,
    *,
    allow_writes: bool = False,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The web app over the database ``db_path`` (which must exist).

    Args:
        db_path: a Diurna DuckDB file, opened read-only.
        allow_writes: let ``POST /api/extract`` save an article when asked (``save: true``);
            without it such a request gets 403 and nothing is ever written.
        max_body: the largest request body accepted, in bytes (413 above).
    """
    from diurna.web import api, pages

    backend = Backend(db_path, allow_writes=allow_writes, max_body=max_body)
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
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on
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
