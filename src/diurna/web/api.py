"""The JSON API (``/api/...``). Every statement is a constant; user values travel only as
bound parameters, and every parameter is validated before it reaches a query."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, ValidationError

from diurna.errors import DiurnaError
from diurna.export.tabular import EVENTS_SQL, Filters, bind
from diurna.store import graph_queries, queries
from diurna.web.app import Backend, plain

router = APIRouter(prefix="/api", tags=["api"])

Modality = Literal["asserted", "negated", "future", "hypothetical"]
ActorCode = Annotated[str, Query(pattern=r"^[A-Za-z0-9-]{1,40}$",
                                 description="An actor-code prefix (KAZ, KAZGOV, ---REB).")]
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many rows (≤ 1000).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]

# Events with every filter of the explorer. EVENTS_SQL binds $actor, $code, $modality, $since
# and $until; the outer query adds the rest.
_EVENT_FILTERS = (
    " WHERE ($source IS NULL OR starts_with(x.source_code, $source))"
    " AND ($target IS NULL OR starts_with(x.target_code, $target))"
    " AND ($root IS NULL OR x.cameo_root = $root)"
    " AND ($quad_class IS NULL OR x.quad_class = $quad_class)"
    " AND ($place IS NULL OR json_extract_string(x.location, '$.country') = $place)"
    " AND ($q IS NULL OR s.text ILIKE $q ESCAPE '\\')"
)
_EVENT_FROM = (
    " FROM (" + EVENTS_SQL + ") x"
    " LEFT JOIN sentences s ON s.article_id = x.article_id AND s.idx = x.sentence_index"
    + _EVENT_FILTERS
)
EVENTS_PAGE_SQL = (
    "SELECT x.*, s.text AS sentence, s.start_char AS sentence_start" + _EVENT_FROM
    + " ORDER BY x.day NULLS LAST, x.article_id, x.sentence_index, x.trigger_start, x.id"
    " LIMIT $limit OFFSET $offset"
)
EVENTS_TOTAL_SQL = "SELECT count(*) AS n" + _EVENT_FROM
EVENT_DETAIL_SQL = (
    "SELECT x.*, s.text AS sentence, s.start_char AS sentence_start, s.end_char AS sentence_end"
    " FROM (" + EVENTS_SQL + ") x"
    " LEFT JOIN sentences s ON s.article_id = x.article_id AND s.idx = x.sentence_index"
    " WHERE x.id = $event_id"
)
ARTICLES_LIST_SQL = (
    "SELECT a.id, a.published, a.title, a.url, a.source, a.language, a.status, a.n_chars,"
    " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events"
    " FROM articles a WHERE ($status IS NULL OR a.status = $status)"
    " ORDER BY a.published NULLS LAST, a.id LIMIT $limit OFFSET $offset"
)
ARTICLE_SQL = (
    "SELECT id, source, url, title, CAST(published AS VARCHAR) AS published, author, language,"
    " status, status_reason, duplicate_of, n_chars, text, CAST(removed AS VARCHAR) AS removed,"
    " CAST(warnings AS VARCHAR) AS warnings FROM articles WHERE id = $id"
)
ARTICLE_EVENTS_SQL = (
    "SELECT e.id, e.sentence_index, e.source_code, e.source_text, e.cameo, e.target_code,"
    " e.target_text, e.modality, e.quad_class, e.trigger_text, e.trigger_start, e.trigger_end,"
    " e.event_date FROM events e WHERE e.article_id = $id ORDER BY e.sentence_index,"
    " e.trigger_start"
)
TIMELINE_SQL = (
    "SELECT CAST(date_trunc($by, d.day) AS DATE) AS period, e.quad_class, count(*) AS events"
    " FROM events e JOIN event_dates d ON d.event_id = e.id"
    " WHERE d.day IS NOT NULL AND ($actor IS NULL OR starts_with(e.source_code, $actor)"
    " OR starts_with(e.target_code, $actor))"
    " AND (e.modality = 'asserted' OR (e.modality = 'negated' AND e.base_cameo IS NOT NULL))"
    " GROUP BY ALL ORDER BY period, e.quad_class"
)
DYADS_SQL = (
    "SELECT source, target, events, verbal_cooperation, material_cooperation, verbal_conflict,"
    " material_conflict, avg_goldstein, articles FROM actor_dyads"
    " WHERE ($actor IS NULL OR starts_with(source, $actor) OR starts_with(target, $actor))"
    " ORDER BY events DESC, source, target LIMIT $limit"
)
BY_COUNTRY_SQL = (
    "SELECT json_extract_string(e.location, '$.country') AS country, count(*) AS events,"
    " count(*) FILTER (WHERE e.quad_class = 4) AS material_conflict,"
    " avg(TRY_CAST(json_extract(e.location, '$.lat') AS DOUBLE)) AS lat,"
    " avg(TRY_CAST(json_extract(e.location, '$.lon') AS DOUBLE)) AS lon"
    " FROM events e WHERE json_extract_string(e.location, '$.country') IS NOT NULL"
    " GROUP BY ALL ORDER BY events DESC, country"
)
COUNTS_BY_COUNTRY_SQL = (
    "SELECT json_extract_string(location, '$.country') AS country, kind, sum(number) AS total"
    " FROM counts WHERE json_extract_string(location, '$.country') IS NOT NULL"
    " GROUP BY ALL ORDER BY country, kind"
)


def shown(value: str, limit: int = 80) -> str:
    """``value`` quoted for an error message, cut to ``limit`` characters: a client's 60 kB id
    is not worth sending back."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def backend(request: Request) -> Backend:
    value: Backend = request.app.state.backend
    return value


def _records(frame: Any) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def like_pattern(text: str) -> str:
    """``%text%`` for ILIKE with the wildcards of ``text`` escaped (``\\`` is the escape)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def event_params(
    *, actor: str | None = None, source: str | None = None, target: str | None = None,
    code: str | None = None, root: str | None = None, quad_class: int | None = None,
    modality: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
    place: str | None = None, q: str | None = None, limit: int = 100, offset: int = 0,
) -> dict[str, Any]:
    """Bound parameters of :data:`EVENTS_PAGE_SQL` (and, without limit/offset, the total)."""
    filters = Filters(actor=actor or None, code=code or None, modality=modality or None,
                      since=since, until=until)
    return bind(EVENTS_PAGE_SQL, filters, source=(source or "").upper() or None,
                target=(target or "").upper() or None, root=root or None,
                quad_class=quad_class, place=(place or "").upper() or None,
                q=like_pattern(q) if q else None, limit=limit, offset=offset)


def query_events(b: Backend, **filters: Any) -> tuple[int, list[dict[str, Any]]]:
    params = event_params(**filters)
    total_params = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    with b.rows() as rows:
        total = int(rows.query(EVENTS_TOTAL_SQL, total_params)[0]["n"])
        found = rows.query(EVENTS_PAGE_SQL, params)
    return total, found


def query_timeline(b: Backend, by: str = "month", actor: str | None = None
                   ) -> list[dict[str, Any]]:
    """Events that took place per period and quad class: ``[{period, q1..q4, total}]``."""
    with b.rows() as rows:
        found = rows.query(TIMELINE_SQL, {"by": by, "actor": actor.upper() if actor else None})
    periods: dict[str, dict[str, Any]] = {}
    for row in found:
        entry = periods.setdefault(row["period"], {"period": row["period"], "verbal_cooperation": 0,
                                                    "material_cooperation": 0,
                                                    "verbal_conflict": 0,
                                                    "material_conflict": 0, "total": 0})
        name = graph_queries.QUAD_CLASSES.get(int(row["quad_class"]), "other").replace(" ", "_")
        entry[name] = entry.get(name, 0) + int(row["events"])
        entry["total"] += int(row["events"])
    return list(periods.values())


def query_dyads(b: Backend, actor: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    with b.rows() as rows:
        return rows.query(DYADS_SQL, {"actor": actor.upper() if actor else None, "limit": limit})


def query_article(b: Backend, article_id: str) -> dict[str, Any] | None:
    with b.rows() as rows:
        found = rows.query(ARTICLE_SQL, {"id": article_id})
        if not found:
            return None
        article = found[0]
        article["removed"] = json.loads(article["removed"] or "[]")
        article["warnings"] = json.loads(article["warnings"] or "[]")
        facts = queries.article_facts(rows, article_id)  # type: ignore[arg-type]
        article["events"] = rows.query(ARTICLE_EVENTS_SQL, {"id": article_id})
        for name in ("counts", "quotes", "places"):
            article[name] = facts[name]
    return article


def query_event(b: Backend, event_id: str) -> dict[str, Any] | None:
    params = bind(EVENT_DETAIL_SQL, Filters(), event_id=event_id)
    with b.rows() as rows:
        found = rows.query(EVENT_DETAIL_SQL, params)
    if not found:
        return None
    row = found[0]
    row["location"] = json.loads(row["location"]) if row.get("location") else None
    base = row.get("sentence_start") or 0
    evidence: dict[str, Any] = {"trigger": {"text": row["trigger_text"],
                                            "start": row["trigger_start"],
                                            "end": row["trigger_end"]}}
    sentence = row.get("sentence") or ""
    for role in ("source", "target"):
        text = row.get(f"{role}_text")
        if text and text in sentence:
            start = base + sentence.index(text)
            evidence[role] = {"text": text, "start": start, "end": start + len(text)}
    row["evidence"] = evidence
    return row


# -- endpoints --------------------------------------------------------------------------------


@router.get("/articles", summary="Stored articles")
def articles(
    request: Request,
    status: Annotated[Literal["ok", "duplicate", "non_english", "failed"] | None,
                      Query(description="Only articles with this status.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    with backend(request).rows() as rows:
        found = rows.query(ARTICLES_LIST_SQL, {"status": status, "limit": limit,
                                               "offset": offset})
    return {"articles": found, "limit": limit, "offset": offset}


# ``:path``: an article id is the record's own (often a URL), and may hold "/".
@router.get("/articles/{article_id:path}",
            summary="One article: text, removed boilerplate, facts")
def article(request: Request, article_id: str) -> dict[str, Any]:
    found = query_article(backend(request), article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {shown(article_id)}")
    return found


@router.get("/events", summary="Coded events, filtered and paged")
def events(
    request: Request,
    actor: ActorCode | None = None,
    source: ActorCode | None = None,
    target: ActorCode | None = None,
    code: Annotated[str | None, Query(pattern=r"^[0-9]{1,4}$",
                                      description="CAMEO code prefix (12, 054).")] = None,
    root: Annotated[str | None, Query(pattern=r"^[0-9]{2}$",
                                      description="CAMEO root (two digits).")] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
    modality: Modality | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    place: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$",
                                       description="ISO alpha-3 country of the place.")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200,
                                   description="Text the sentence contains.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    if since and until and since > until:
        raise HTTPException(400, "since is after until")
    total, found = query_events(
        backend(request), actor=actor, source=source, target=target, code=code, root=root,
        quad_class=quad_class, modality=modality, since=since, until=until, place=place, q=q,
        limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "events": found}


@router.get("/events/{event_id}", summary="One event with its sentence and evidence offsets")
def event(request: Request, event_id: str) -> dict[str, Any]:
    found = query_event(backend(request), event_id)
    if found is None:
        raise HTTPException(404, f"no event with id {shown(event_id)}")
    return found


@router.get("/actors", summary="Resolved actors, most mentioned first")
def actors(
    request: Request,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    limit: Limit = 100,
) -> dict[str, Any]:
    with backend(request).database() as db:
        found = _records(db.actors(country))
    return {"actors": found[:limit]}


@router.get("/actors/{code}", summary="An actor's profile")
def actor(request: Request, code: str) -> dict[str, Any]:
    if not code or len(code) > 40 or not all(c.isalnum() or c == "-" for c in code):
        raise HTTPException(422, "an actor code is letters, digits and '-' (at most 40)")
    b = backend(request)
    with b.rows() as rows:
        profile = graph_queries.actor_profile(rows, code)  # type: ignore[arg-type]
        names = rows.query("SELECT any_value(coalesce(actor_name, text)) AS name,"
                           " count(*) AS mentions FROM entities WHERE code = $code",
                           {"code": code.upper()})
    if not names[0]["mentions"] and not any(profile.values()):
        raise HTTPException(404, f"no actor with code {shown(code)}")
    return {"code": code.upper(), "name": names[0]["name"], "mentions": names[0]["mentions"],
            **profile, "dyads": query_dyads(b, code, 50)}


@router.get("/relations", summary="Relations between actors, with evidence")
def relations(
    request: Request,
    subject: ActorCode | None = None,
    predicate: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$")] = None,
    object: ActorCode | None = None,
    limit: Limit = 100,
) -> dict[str, Any]:
    with backend(request).database() as db:
        found = _records(db.relations(subject, predicate, object))
    return {"relations": found[:limit], "total": len(found)}


@router.get("/stance", summary="Recognition stances of an entity")
def stance(request: Request, entity: ActorCode) -> dict[str, Any]:
    b = backend(request)
    with b.database() as db:
        found = _records(db.stance(entity))
    with b.rows() as rows:
        evidence = [r for r in graph_queries.relation_mentions(rows, subject=entity)  # type: ignore[arg-type]
                    if r["predicate"] in ("recognizes", "does_not_recognize")]
        evidence += [r for r in graph_queries.relation_mentions(rows, obj=entity)  # type: ignore[arg-type]
                     if r["predicate"] in ("recognizes", "does_not_recognize")]
    return {"entity": entity.upper(), "stances": found, "evidence": evidence}


@router.get("/counts", summary="Casualty, arrest and other counts")
def counts(
    request: Request,
    kind: Annotated[str | None, Query(pattern=r"^[A-Za-z]{1,20}$")] = None,
    limit: Limit = 100,
) -> dict[str, Any]:
    with backend(request).database() as db:
        found = _records(db.counts(kind))
    return {"counts": found[:limit], "total": len(found)}


@router.get("/quotes", summary="Quotes with their speakers")
def quotes(request: Request, speaker: ActorCode | None = None, limit: Limit = 100
           ) -> dict[str, Any]:
    with backend(request).database() as db:
        found = _records(db.quotes(speaker))
    return {"quotes": found[:limit], "total": len(found)}


@router.get("/timeline", summary="Events that took place per period, by quad class")
def timeline(
    request: Request,
    by: Literal["month", "year"] = "month",
    actor: ActorCode | None = None,
) -> dict[str, Any]:
    return {"by": by, "periods": query_timeline(backend(request), by, actor)}


class ExtractIn(BaseModel):
    """An article to run through the pipeline."""

    text: str = Field(min_length=1, description="Plain text or HTML.")
    published: dt.date | None = Field(None, description="Publication day, YYYY-MM-DD.")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    save: bool = Field(False, description="Store it (only when the server allows writes).")


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPException(413, f"the body is larger than {limit} bytes")
    return bytes(body)


@router.post(
    "/extract",
    summary="Extract events from one article (nothing is stored unless allowed and asked)",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": ExtractIn.model_json_schema()}}}},
)
async def extract_endpoint(request: Request) -> dict[str, Any]:
    b = backend(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        # A form or a multipart upload is refused before it is read: the server never takes
        # a file (or its name) from a client, only the text of a JSON body.
        raise HTTPException(415, "send the article as a JSON body with Content-Type: "
                                 f"application/json, not {shown(media_type or 'none', 60)}")
    body = await _read_limited(request, b.max_body)
    try:
        item = ExtractIn.model_validate_json(body)
    except ValidationError as exc:
        raise HTTPException(422, [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                                  for e in exc.errors()]) from exc
    if item.save and not b.allow_writes:
        raise HTTPException(403, "this server is read-only: start it with --allow-writes to save")
    from diurna.jobs.extract import extract

    published = item.published.isoformat() if item.published else None
    try:
        result = await run_in_threadpool(extract, item.text, published, title=item.title,
                                         url=item.url)
    except DiurnaError as exc:
        raise HTTPException(400, str(exc)) from exc
    record = json.loads(json.dumps(result.to_record(), default=str))
    saved = None
    if item.save:
        from diurna.readers.decode import looks_like_html

        body_key = "html" if looks_like_html(item.text) else "text"
        saved = await run_in_threadpool(b.save, {
            "title": item.title, body_key: item.text, "url": item.url, "published": published})
    return {"record": record, "saved": saved}
