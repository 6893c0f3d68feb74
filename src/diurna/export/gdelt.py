"""GDELT 2.0 exports: the Event table (61 columns) and the Mentions table (16 columns).

Files are tab-separated, without a header and with ``\\n`` line ends, as GDELT ships them; the
column order is the codebook's (:data:`EVENT_COLUMNS`, :data:`MENTION_COLUMNS`, named as in
GDELT's BigQuery tables). The conventions, field by field, are in ``docs/formats.md``; in short:

* one Event row per real-world event: per cluster of ``event_mentions`` where the events were
  clustered across articles, else per coded event. Its fields come from the earliest mention
  that passes the filters; NumMentions, NumSources, NumArticles and AvgTone from all of them.
* one Mentions row per coded event (a mention of its event in one article).
* GLOBALEVENTID is a stable 63-bit integer, a hash of the cluster id or event id.
* Only events that took place are exported unless ``--modality`` asks otherwise: asserted
  events and negations recoded to a rejection (GDELT has no modality column, so a denied attack
  would read as an attack).
* Geographic country codes are FIPS 10-4 (``data/iso3_fips.json``), as GDELT's are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO
from xml.sax.saxutils import escape

import duckdb

from diurna.export.tabular import Filters, bind

# GDELT 2.0 Event table, in codebook order: (name, type) with type INTEGER, FLOAT or STRING.
EVENT_COLUMNS: list[tuple[str, str]] = [
    ("GLOBALEVENTID", "INTEGER"), ("SQLDATE", "INTEGER"), ("MonthYear", "INTEGER"),
    ("Year", "INTEGER"), ("FractionDate", "FLOAT"),
    *[(f"Actor{n}{field}", "STRING") for n in (1, 2) for field in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    ("IsRootEvent", "INTEGER"), ("EventCode", "STRING"), ("EventBaseCode", "STRING"),
    ("EventRootCode", "STRING"), ("QuadClass", "INTEGER"), ("GoldsteinScale", "FLOAT"),
    ("NumMentions", "INTEGER"), ("NumSources", "INTEGER"), ("NumArticles", "INTEGER"),
    ("AvgTone", "FLOAT"),
    *[(f"{geo}_{field}", kind) for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo")
      for field, kind in (("Type", "INTEGER"), ("FullName", "STRING"),
                          ("CountryCode", "STRING"), ("ADM1Code", "STRING"),
                          ("ADM2Code", "STRING"), ("Lat", "FLOAT"), ("Long", "FLOAT"),
                          ("FeatureID", "STRING"))],
    ("DATEADDED", "INTEGER"), ("SOURCEURL", "STRING"),
]
# GDELT 2.0 Mentions table, in codebook order.
MENTION_COLUMNS: list[tuple[str, str]] = [
    ("GLOBALEVENTID", "INTEGER"), ("EventTimeDate", "INTEGER"), ("MentionTimeDate", "INTEGER"),
    ("MentionType", "INTEGER"), ("MentionSourceName", "STRING"),
    ("MentionIdentifier", "STRING"), ("SentenceID", "INTEGER"), ("Actor1CharOffset", "INTEGER"),
    ("Actor2CharOffset", "INTEGER"), ("ActionCharOffset", "INTEGER"), ("InRawText", "INTEGER"),
    ("Confidence", "INTEGER"), ("MentionDocLen", "INTEGER"), ("MentionDocTone", "FLOAT"),
    ("MentionDocTranslationInfo", "STRING"), ("Extras", "STRING"),
]
# GDELT's MentionType: 1 a web page (the identifier is its URL), 2 a citation only.
MENTION_WEB, MENTION_CITATION = 1, 2
# ActionGeo_Type by the place's precision: 1 country, 2/3 US state/city, 4 world city, 5 ADM1.
_GEO_TYPES = {"country": 1, "admin1": 5, "city": 4, "region": 4}
_US_GEO_TYPES = {"admin1": 2, "city": 3}
# An ADM1 code that converts to GDELT's: GeoNames' CC.NN (FIPS-based for most countries) and
# the ISO 3166-2 code of a US state (GDELT writes US states by their postal code: USTX).
_GEONAMES_ADM1 = re.compile(r"^[A-Z]{2}\.([A-Z0-9]{1,3})$|^US-([A-Z]{2})$")
# A field must not end the row or the field it is in, for any reader: tab and every character
# that some reader takes as a line end (Python's str.splitlines takes the last six), and NUL,
# which ends a string in C tools.
_CLEAN = str.maketrans(dict.fromkeys(
    "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00", " "))

# Mentions (events) with everything the two tables need; the filters apply to them.
_MENTIONS_CTE = (
    "WITH m AS ("
    " SELECT g.group_id, e.id, e.article_id, e.sentence_index, e.trigger_start, e.modality,"
    " e.base_cameo, e.source_code, e.target_code, e.cameo, d.day, a.ingested_at,"
    " coalesce(nullif(regexp_replace(regexp_extract(lower(a.url),"
    " '^[a-z][a-z0-9+.-]*://([^/:?#]+)', 1), '^www[.]', ''), ''), a.source, e.article_id)"
    " AS source_name"
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " JOIN event_dates d ON d.event_id = e.id JOIN event_groups g ON g.event_id = e.id"
    "), stats AS ("
    " SELECT group_id, count(*) AS num_mentions, count(DISTINCT source_name) AS num_sources,"
    " count(DISTINCT article_id) AS num_articles, min(ingested_at) AS added"
    " FROM m GROUP BY group_id"
    "), chosen AS ("
    " SELECT * FROM m WHERE"
    " ($actor IS NULL OR starts_with(source_code, $actor) OR starts_with(target_code, $actor))"
    " AND ($code IS NULL OR starts_with(cameo, $code))"
    " AND (($modality IS NULL AND (modality = 'asserted'"
    " OR (modality = 'negated' AND base_cameo IS NOT NULL))) OR modality = $modality)"
    " AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day <= $until)"
    ")"
)
EVENTS_SQL = (
    _MENTIONS_CTE
    + ", tones AS ("
    " SELECT x.group_id, avg(t.tone) AS avg_tone"
    " FROM (SELECT DISTINCT group_id, article_id FROM m) x"
    " JOIN article_tone t ON t.article_id = x.article_id GROUP BY x.group_id"
    "), picked AS ("
    " SELECT * FROM chosen QUALIFY row_number() OVER (PARTITION BY group_id"
    " ORDER BY day NULLS LAST, ingested_at, article_id, sentence_index, trigger_start) = 1"
    ")"
    " SELECT p.group_id, coalesce(p.day, CAST(p.ingested_at AS DATE)) AS day,"
    " e.source_code, e.source_name, e.source_country, e.source_agent, e.source_kind,"
    " e.target_code, e.target_name, e.target_country, e.target_agent, e.target_kind,"
    " e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.trigger_start,"
    " CAST(e.location AS VARCHAR) AS location, strpos(a.text, chr(10)) AS lead_end,"
    " s.num_mentions, s.num_sources, s.num_articles, s.added, t.avg_tone,"
    " coalesce(a.url, a.source) AS source_url"
    " FROM picked p JOIN events e ON e.id = p.id JOIN articles a ON a.id = p.article_id"
    " JOIN stats s ON s.group_id = p.group_id LEFT JOIN tones t ON t.group_id = p.group_id"
    " ORDER BY day, p.group_id"
)
MENTIONS_SQL = (
    _MENTIONS_CTE
    + " SELECT c.group_id, s.added AS event_added, a.ingested_at AS mention_added, a.url,"
    " a.source, c.source_name, e.sentence_index, o1.start_char AS actor1_offset,"
    " o2.start_char AS actor2_offset, e.trigger_start, e.confidence, a.n_chars,"
    " t.tone AS doc_tone, e.id, e.article_id, e.modality, c.day"
    " FROM chosen c JOIN events e ON e.id = c.id JOIN articles a ON a.id = c.article_id"
    " JOIN stats s ON s.group_id = c.group_id"
    " LEFT JOIN article_tone t ON t.article_id = c.article_id"
    " LEFT JOIN (SELECT article_id, sentence_index, code, min(start_char) AS start_char"
    " FROM entities WHERE code IS NOT NULL GROUP BY ALL) o1"
    " ON o1.article_id = e.article_id AND o1.sentence_index = e.sentence_index"
    " AND o1.code = e.source_code"
    " LEFT JOIN (SELECT article_id, sentence_index, code, min(start_char) AS start_char"
    " FROM entities WHERE code IS NOT NULL GROUP BY ALL) o2"
    " ON o2.article_id = e.article_id AND o2.sentence_index = e.sentence_index"
    " AND o2.code = e.target_code"
    " ORDER BY c.day NULLS LAST, e.article_id, e.sentence_index, e.trigger_start"
)


@lru_cache(maxsize=1)
def fips_countries() -> dict[str, dict[str, str]]:
    """ISO alpha-3 → ``{"fips": ..., "name": ...}`` (``data/iso3_fips.json``)."""
    text = resources.files("diurna.export.data").joinpath("iso3_fips.json").read_text("utf-8")
    countries: dict[str, dict[str, str]] = json.loads(text)["countries"]
    return countries


def fips(iso3: str | None) -> str:
    """The FIPS 10-4 code of an ISO alpha-3 country code, or ``""``."""
    entry = fips_countries().get((iso3 or "").upper())
    return entry["fips"] if entry else ""


def global_event_id(key: str) -> int:
    """A stable positive 63-bit integer for a cluster or event id (BLAKE2b of the id)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _timestamp(value: dt.datetime | None) -> int | None:
    return int(value.strftime("%Y%m%d%H%M%S")) if value else None


def _actor(row: dict[str, Any], role: str) -> list[Any]:
    """Actor{n}Code .. Actor{n}Type3Code from the stored actor of ``role``."""
    code = str(row.get(f"{role}_code") or "")
    if code.startswith("---"):  # a role of an unknown country: GDELT leaves the country out
        code = code[3:]
    country = row.get(f"{role}_country") or ""
    agent = row.get(f"{role}_agent") or ""
    known_group = ""
    if code[:3] in ("IGO", "NGO", "MNC") and len(code) > 3:
        known_group, agent = code[3:], code[:3]
    name = str(row.get(f"{role}_name") or "").upper()
    return [code, name, country, known_group, "", "", "", agent, "", ""]


def geo(location: dict[str, Any] | None) -> list[Any]:
    """The eight *Geo_ fields of a stored location (``None``: no place)."""
    if not location or not location.get("country"):
        return [0, "", "", "", "", None, None, ""]
    iso3 = str(location["country"])
    country_fips = fips(iso3)
    precision = str(location.get("precision") or "country")
    kind = (_US_GEO_TYPES if iso3 == "USA" else {}).get(precision, _GEO_TYPES.get(precision, 4))
    country_name = fips_countries().get(iso3, {}).get("name", iso3)
    name = str(location.get("name") or country_name)
    full_name = country_name if kind == 1 else f"{name}, {country_name}"
    adm1 = country_fips
    match = _GEONAMES_ADM1.match(str(location.get("admin1") or ""))
    if match and country_fips and kind != 1:
        adm1 = country_fips + (match.group(1) or match.group(2))
    feature = ""
    if kind in (3, 4) and location.get("geonameid"):
        feature = str(location["geonameid"])
    elif kind in (1, 2, 5):
        feature = adm1
    lat, lon = location.get("lat"), location.get("lon")
    return [kind, full_name, country_fips, adm1, "", lat, lon, feature]


def event_row(row: dict[str, Any]) -> list[Any]:
    """The 61 GDELT Event values of one row of :data:`EVENTS_SQL`."""
    day: dt.date = row["day"]
    cameo = str(row["cameo"])
    lead_end = int(row.get("lead_end") or 0)
    is_root = 1 if lead_end == 0 or int(row["trigger_start"]) < lead_end else 0
    location = json.loads(row["location"]) if row.get("location") else None
    values = [
        global_event_id(str(row["group_id"])),
        int(day.strftime("%Y%m%d")), int(day.strftime("%Y%m")), day.year,
        round(day.year + (day.month * 30 + day.day) / 365, 4),
        *_actor(row, "source"), *_actor(row, "target"),
        is_root, cameo, cameo[:3], str(row["cameo_root"]), int(row["quad_class"]),
        float(row["goldstein"]), int(row["num_mentions"]), int(row["num_sources"]),
        int(row["num_articles"]), row.get("avg_tone"),
        *geo(None), *geo(None), *geo(location),
        _timestamp(row.get("added")), row.get("source_url") or "",
    ]
    return values


def mention_row(row: dict[str, Any]) -> list[Any]:
    """The 16 GDELT Mentions values of one row of :data:`MENTIONS_SQL`."""
    url = row.get("url")
    # Extras is XML-like: an article id is the record's own text, so it is escaped, lest an id
    # holding "</DIURNA_ARTICLE_ID>" forge another element.
    extras = (
        f"<DIURNA_EVENT_ID>{escape(str(row['id']))}</DIURNA_EVENT_ID>"
        f"<DIURNA_ARTICLE_ID>{escape(str(row['article_id']))}</DIURNA_ARTICLE_ID>"
        f"<DIURNA_MODALITY>{escape(str(row['modality']))}</DIURNA_MODALITY>"
    )
    offset1, offset2 = row.get("actor1_offset"), row.get("actor2_offset")
    return [
        global_event_id(str(row["group_id"])),
        _timestamp(row.get("event_added")), _timestamp(row.get("mention_added")),
        MENTION_WEB if url else MENTION_CITATION,
        row.get("source_name") or "", url or row.get("source") or "",
        int(row["sentence_index"]) + 1,
        -1 if offset1 is None else int(offset1), -1 if offset2 is None else int(offset2),
        int(row["trigger_start"]), 1, round(float(row["confidence"]) * 100),
        int(row.get("n_chars") or 0), row.get("doc_tone"), "", extras,
    ]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, filters: Filters) -> Iterator[dict[str, Any]]:
    cursor = con.execute(sql, bind(sql, filters))
    names = [d[0] for d in cursor.description or ()]
    while batch := cursor.fetchmany(1000):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def event_rows(con: duckdb.DuckDBPyConnection, filters: Filters) -> Iterator[list[Any]]:
    """GDELT Event rows (lists of 61 values) for the events that pass ``filters``."""
    for row in _rows(con, EVENTS_SQL, filters):
        yield event_row(row)


def mention_rows(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, with_day: bool = False
) -> Iterator[list[Any]]:
    """GDELT Mentions rows (lists of 16 values) for the events that pass ``filters``; with
    ``with_day``, the event's day is appended (the partition key of a Parquet export)."""
    for row in _rows(con, MENTIONS_SQL, filters):
        values = mention_row(row)
        if with_day:
            values.append(row.get("day"))
        yield values


def cell(value: Any) -> str:
    """One GDELT field: empty for None, floats always with a decimal point, no tabs or breaks."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value).translate(_CLEAN)


def write_tsv(rows: Iterator[list[Any]], sink: TextIO) -> int:
    """Write ``rows`` tab-separated, without a header; returns the number of rows."""
    count = 0
    for row in rows:
        sink.write("\t".join(cell(v) for v in row) + "\n")
        count += 1
    return count
