"""The world map: TopoJSON decoding on hand-made topologies, the antimeridian, the vendored
world-atlas file, and the join of events to country shapes on the /map page."""

from __future__ import annotations

import itertools
import re
from typing import Any

from fastapi.testclient import TestClient

from diurna.web import worldmap
from diurna.web.pages import map_svg

# Two unit squares side by side sharing the arc x=1, quantized with scale (0.5, 2) and
# translate (-10, 20): integer (x, y) is (lon, lat) = (-10 + x/2, 20 + 2y).
TINY: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [0.5, 2], "translate": [-10, 20]},
    "arcs": [
        [[2, 0], [0, 1]],                      # 0: shared border (2,0) -> (2,1)
        [[2, 1], [-2, 0], [0, -1], [2, 0]],    # 1: left square's other sides, back to (2,0)
        [[2, 0], [2, 0], [0, 1], [-2, 0]],     # 2: right square's other sides, to (2,1)
    ],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "804", "properties": {"name": "Left"}},
        {"type": "MultiPolygon", "arcs": [[[~0, 2]]], "properties": {"name": "Kosovo"}},
        {"type": "Point", "coordinates": [0, 0], "id": "001"},
        {"type": None, "id": "002"},
    ]}},
}


def test_decode_quantized_delta_arcs() -> None:
    arcs = worldmap.decode_arcs(TINY)
    assert arcs[0] == [(-9.0, 20.0), (-9.0, 22.0)]
    assert arcs[1] == [(-9.0, 22.0), (-10.0, 22.0), (-10.0, 20.0), (-9.0, 20.0)]
    assert arcs[2][-1] == (-9.0, 22.0) and arcs[2][1] == (-8.0, 20.0)


def test_decode_plain_arcs_without_transform() -> None:
    plain = {"arcs": [[[1.5, 2.5], [3.0, 4.0]]]}
    assert worldmap.decode_arcs(plain) == [[(1.5, 2.5), (3.0, 4.0)]]


def test_stitch_keeps_shared_points_once_and_reverses_negative_arcs() -> None:
    arcs = worldmap.decode_arcs(TINY)
    left = worldmap.stitch(arcs, [0, 1])
    assert left == ((-9.0, 20.0), (-9.0, 22.0), (-10.0, 22.0), (-10.0, 20.0), (-9.0, 20.0))
    right = worldmap.stitch(arcs, [~0, 2])
    assert right[:2] == ((-9.0, 22.0), (-9.0, 20.0))  # arc 0 walked backwards
    assert right[2:] == ((-8.0, 20.0), (-8.0, 22.0), (-9.0, 22.0))


def test_features_polygon_multipolygon_and_skipped_types() -> None:
    found = worldmap.features(TINY, "countries")
    assert [(f.id, f.name) for f in found] == [("804", "Left"), (None, "Kosovo")]
    assert len(found[0].polygons) == 1 and len(found[0].polygons[0]) == 1
    assert len(found[1].polygons) == 1
    assert [worldmap.iso3(f) for f in found] == ["UKR", "XKX"]
    assert worldmap.iso3(worldmap.Feature(None, "Atlantis", ())) is None
    assert worldmap.iso3(worldmap.Feature("999", "Nowhere", ())) is None


def test_path_data_projects_equirectangular() -> None:
    square = (((0.0, 0.0), (90.0, 0.0), (90.0, 45.0), (0.0, 45.0), (0.0, 0.0)),)
    d = worldmap.path_data([square], 360, 180)
    assert d == "M180.0,90.0L270.0,90.0 270.0,45.0 180.0,45.0Z"
    assert worldmap.path_data([], 360, 180) == ""
    # a degenerate ring (fewer than three distinct points once projected) draws nothing
    assert worldmap.path_data([(((1.0, 1.0), (1.01, 1.0), (1.0, 1.0)),)], 360, 180) == ""


def _subpaths(d: str) -> list[list[tuple[float, float]]]:
    return [[(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", part)]
            for part in d.split("M")[1:]]


def test_ring_across_the_antimeridian_is_split_not_drawn_across_the_map() -> None:
    fiji = ((170.0, -15.0), (179.0, -10.0), (-175.0, -10.0), (-170.0, -15.0), (170.0, -15.0))
    assert [lon for lon, _ in worldmap.unwrap(fiji)] == [170, 179, 185, 190, 170]
    d = worldmap.path_data([(fiji,)], 360, 180)
    parts = _subpaths(d)
    assert len(parts) == 2  # the ring, and its copy shifted by 360° for the part past 180°E
    for points in parts:
        xs = [x for x, _ in points]
        assert max(xs) - min(xs) <= 20  # 20° wide, never 340
    assert any(min(x for x, _ in p) < 0 for p in parts)  # east edge runs off the map, clipped
    assert any(max(x for x, _ in p) > 360 for p in parts)


def test_ring_around_a_pole_is_closed_along_the_map_edge() -> None:
    antarctica = ((-180.0, -80.0), (-90.0, -75.0), (0.0, -70.0), (90.0, -75.0), (180.0, -80.0),
                  (-180.0, -80.0))
    parts = _subpaths(worldmap.path_data([(antarctica,)], 360, 180))
    assert len(parts) == 1
    points = parts[0]
    assert (360.0, 180.0) in points and (0.0, 180.0) in points  # along 90°S
    xs = [x for x, _ in points]
    assert min(xs) >= 0 and max(xs) <= 360


def test_class_bounds_and_shades() -> None:
    assert worldmap.class_bounds(0) == []
    assert worldmap.class_bounds(1) == [1]
    assert worldmap.class_bounds(100) == [3, 6, 16, 40, 100]
    bounds = worldmap.class_bounds(100)
    assert [worldmap.class_of(n, bounds) for n in (1, 3, 4, 50, 100, 500)] == [0, 0, 1, 4, 4, 4]
    assert [worldmap.shade(i, 5) for i in range(5)] == [1, 2, 3, 4, 5]
    assert [worldmap.shade(i, 2) for i in range(2)] == [1, 5]
    assert worldmap.shade(0, 1) == 4


def test_vendored_world_atlas_countries() -> None:
    shapes = worldmap.country_shapes(900, 450)
    assert len(shapes) == 177
    by_code = {s.iso3: s for s in shapes}
    assert None not in by_code, "every feature joins to a Diurna country code"
    assert by_code["UKR"].name == "Ukraine" and by_code["XKX"].name == "Kosovo"
    assert by_code["RUS"].name == "Russia" and by_code["USA"].d.count("M") > 1
    assert worldmap.country_shapes(900, 450) is shapes  # cached
    for shape in shapes:
        for points in _subpaths(shape.d):
            xs = [x for x, _ in points]
            # no subpath jumps across the map (Russia and Fiji cross 180°, Antarctica is
            # the only shape as wide as the map)
            steps = [abs(b - a) for a, b in itertools.pairwise(xs)]
            assert max(steps, default=0) < 450 or shape.iso3 == "ATA", shape.name
            assert all(-1 <= y <= 451 for _, y in points), shape.name
    ukraine = _subpaths(by_code["UKR"].d)[0]
    x = sum(p[0] for p in ukraine) / len(ukraine)
    y = sum(p[1] for p in ukraine) / len(ukraine)
    assert 515 < x < 540 and 95 < y < 110  # about 31°E 49°N


def test_map_svg_joins_events_to_shapes() -> None:
    rows = [{"country": "UKR", "events": 40, "material_conflict": 30},
            {"country": "FRA", "events": 1, "material_conflict": 0},
            {"country": "SGP", "events": 2, "material_conflict": 0}]
    world = map_svg(rows)
    by_code = {c["iso3"]: c for c in world["countries"]}
    assert by_code["UKR"]["events"] == 40 and by_code["UKR"]["shade"] == 5
    assert by_code["FRA"]["events"] == 1 and 0 < by_code["FRA"]["shade"] < 5
    assert by_code["DEU"]["shade"] == 0 and by_code["DEU"]["events"] == 0
    assert [c["iso3"] for c in world["countries"][-2:]] in (["UKR", "FRA"], ["FRA", "UKR"])
    assert world["legend"][0]["label"].startswith("1") and world["legend"][-1]["label"].endswith(
        "40")
    # Singapore is too small for the 1:110m shapes: its circle is labelled, Ukraine's is not
    labels = {m["country"]: m["label"] for m in world["markers"]}
    assert labels == {"UKR": False, "FRA": False, "SGP": True}
    assert map_svg([])["legend"] == [] and all(c["shade"] == 0 for c in map_svg([])["countries"])


def test_map_page_shades_ukraine(client: TestClient) -> None:
    html = client.get("/map").text
    svg = html.split('<svg class="map"')[1].split("</svg>")[0]
    assert svg.count("<path ") > 100
    ukraine = re.search(r'<a href="/events\?place=UKR"><path class="land shade-(\d)" '
                        r'data-iso3="UKR" d="M[^"]+"><title>Ukraine: (\d+) events?</title>', svg)
    assert ukraine, "Ukraine is shaded and links to its events"
    assert int(ukraine.group(2)) > 0
    assert re.search(r'<path class="land" data-iso3="ISL" d="M[^"]+"><title>Iceland: no '
                     r"events</title>", svg)
    assert 'class="legend map-legend"' in html
    assert "<script" not in html.split("<main>")[1]
