"""Country shapes for the map page: Natural Earth's 1:110m countries, as shipped by the npm
package world-atlas 2.0.2 (``data/world-atlas-2.0.2-countries-110m.json``, see ``data/README.md``),
decoded from TopoJSON here and projected to SVG paths on the server, so the page needs neither a
script nor a tile server.

TopoJSON stores each shared border once, as an *arc*; a ring lists the arcs it follows (a
negative index ``~i`` means arc ``i`` walked backwards). In a quantized file the arcs are integer
deltas, turned into degrees by the topology's ``transform``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

WORLD_ATLAS = Path(__file__).resolve().parent / "data" / "world-atlas-2.0.2-countries-110m.json"
# Features that world-atlas ships without an ISO 3166-1 numeric id. Kosovo has Diurna's XKX
# (the gazetteer's code); the other two are drawn as part of the state that GeoNames, and so
# Diurna's gazetteer, puts their towns in.
UNCODED = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of a TopoJSON object: its id, name and polygons in (lon, lat) degrees."""

    id: str | None
    name: str
    polygons: tuple[Polygon, ...]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Every arc of ``topology`` as absolute (lon, lat) points; quantized arcs (with a
    ``transform``) are delta-encoded integers, the others plain positions."""
    transform = topology.get("transform")
    decoded: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for position in arc:
                x += position[0]
                y += position[1]
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        decoded.append(points)
    return decoded


def stitch(arcs: Sequence[Sequence[Point]], indexes: Iterable[int]) -> Ring:
    """A ring from the arcs it lists. Each arc starts where the previous one ended, so that
    shared point is kept once."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def features(topology: dict[str, Any], name: str) -> list[Feature]:
    """The Polygon and MultiPolygon features of the object ``name`` (others have no area to
    fill and are skipped)."""
    arcs = decode_arcs(topology)
    found = []
    for geometry in topology["objects"][name].get("geometries", ()):
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        shapes = tuple(tuple(stitch(arcs, ring) for ring in polygon) for polygon in polygons)
        raw_id = geometry.get("id")
        label = (geometry.get("properties") or {}).get("name") or ""
        found.append(Feature(None if raw_id is None else str(raw_id), str(label), shapes))
    return found


def iso3(feature: Feature) -> str | None:
    """Diurna's country code (ISO 3166-1 alpha-3, XKX for Kosovo) of a world-atlas feature,
    whose id is the ISO numeric code."""
    if feature.id is None:
        return UNCODED.get(feature.name)
    import pycountry

    country = pycountry.countries.get(numeric=feature.id.zfill(3))
    return country.alpha_3 if country else None


def unwrap(ring: Ring) -> list[Point]:
    """``ring`` with its longitudes made continuous: a step of more than 180° crosses the
    antimeridian, so it is taken the short way (Russia's Chukotka then lies past 180°E rather
    than a line being drawn across the whole map)."""
    out: list[Point] = []
    shift = 0.0
    for i, (lon, lat) in enumerate(ring):
        if i:
            step = lon - ring[i - 1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def ring_pieces(ring: Ring) -> list[list[Point]]:
    """The copies of an unwrapped ring that the map's -180..180 window shows, in degrees.

    A ring that goes once around a pole (Antarctica) ends 360° from where it starts: it is
    closed along that pole's edge of the map. A ring reaching past ±180° is also drawn shifted
    by 360° so that the part beyond shows on the other side; the SVG clips what is off the map.
    """
    points = unwrap(ring)
    if len(points) < 3:
        return []
    turn = points[-1][0] - points[0][0]
    if abs(turn) > 180:  # around a pole
        pole = -90.0 if sum(lat for _, lat in points) < 0 else 90.0
        points = [*points, (points[-1][0], pole), (points[0][0], pole)]
    low = min(lon for lon, _ in points)
    high = max(lon for lon, _ in points)
    pieces = []
    for k in range(-2, 3):
        offset = 360.0 * k
        if low + offset < 180 and high + offset > -180:
            pieces.append([(lon + offset, lat) for lon, lat in points])
    return pieces


def project(lon: float, lat: float, width: float, height: float) -> Point:
    """Equirectangular: longitude -180..180 across ``width``, latitude 90..-90 down ``height``."""
    return (lon + 180) / 360 * width, (90 - lat) / 180 * height


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def path_data(polygons: Iterable[Polygon], width: float, height: float) -> str:
    """An SVG path (``d``) of ``polygons``, one closed subpath per ring and copy, to be filled
    with the even-odd rule (holes are rings too)."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            for piece in ring_pieces(ring):
                drawn: list[str] = []
                for lon, lat in piece:
                    x, y = project(lon, lat, width, height)
                    pair = f"{_number(x)},{_number(y)}"
                    if not drawn or drawn[-1] != pair:
                        drawn.append(pair)
                if len(drawn) > 1 and drawn[-1] == drawn[0]:
                    drawn.pop()  # "Z" closes the ring
                if len(drawn) >= 3:
                    parts.append("M" + drawn[0] + "L" + " ".join(drawn[1:]) + "Z")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class CountryShape:
    """A country ready to draw: its Diurna code (``None`` if it has none), name and path."""

    iso3: str | None
    name: str
    d: str


@lru_cache(maxsize=1)
def world_features() -> tuple[Feature, ...]:
    """The countries of the vendored world-atlas file (read once per process)."""
    topology = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    return tuple(features(topology, "countries"))


@lru_cache(maxsize=4)
def country_shapes(width: int, height: int) -> tuple[CountryShape, ...]:
    """Every country as an SVG path on a ``width`` × ``height`` equirectangular map."""
    return tuple(CountryShape(iso3(f), f.name, path_data(f.polygons, width, height))
                 for f in world_features())


def class_bounds(top: int, classes: int = 5) -> list[int]:
    """Upper bounds of at most ``classes`` choropleth classes for counts 1..``top``, evenly
    spaced on a log scale (news attention is heavy-tailed: a linear scale would leave all but
    the busiest country in the lightest class)."""
    if top < 1:
        return []
    return sorted({max(1, round(top ** (i / classes))) for i in range(1, classes + 1)})


def class_of(count: int, bounds: Sequence[int]) -> int:
    """The 0-based class of ``count`` (≥ 1) under ``bounds``."""
    for i, bound in enumerate(bounds):
        if count <= bound:
            return i
    return len(bounds) - 1


def shade(index: int, n_classes: int, palette: int = 5) -> int:
    """The palette step (1..``palette``) of class ``index`` of ``n_classes``: spread over the
    palette so that two classes are light and dark, not the two lightest."""
    if n_classes <= 1:
        return math.ceil(palette * 0.7)
    return 1 + round(index * (palette - 1) / (n_classes - 1))
