"""Integrity checks for the actor reference data in ``src/diurna/actors/data``."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import pytest

from diurna.actors.dictionary import parse_date

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "diurna" / "actors" / "data"
FILES = ("countries.jsonl", "country_extras.jsonl", "igos.jsonl", "leaders.jsonl",
         "regions.jsonl", "agents.jsonl")

ISO3 = {c.alpha_3 for c in pycountry.countries}
VALID_COUNTRIES = ISO3 | {"XKX"}
# CAMEO agent (role/sector) codes used in this data.
CAMEO_AGENTS = {"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "REB", "SEP", "UAF", "OPP", "CVL",
                "MED", "BUS", "REF", "EDU", "HLH", "LAB", "ELI", "CRM", "REL", "AGR", "HRI"}
# Kinds the actor dictionary loader and ruler accept (see diurna/actors/ruler.py).
LOADER_KINDS = {"state", "region", "group", "igo", "ngo"}
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@cache
def records(name: str) -> tuple[dict[str, Any], ...]:
    out = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if "_meta" not in record:
                out.append(record)
    return tuple(out)


def parse(value: str | None, *, end: bool = False) -> dt.date | None:
    if value is None:
        return None
    assert DATE_RE.match(value), f"bad date {value!r}"
    return parse_date(value, end=end)  # the loader's own reading of a partial date


def check_period(item: dict[str, Any], where: str) -> None:
    start, end = parse(item.get("from")), parse(item.get("to"), end=True)
    if start and end:
        assert start <= end, f"{where}: from {item['from']} after to {item['to']}"


def covers(item: dict[str, Any], first: dt.date, last: dt.date) -> bool:
    start, end = parse(item.get("from")), parse(item.get("to"), end=True)
    return (start is None or start <= first) and (end is None or last <= end)


def person(name: str) -> dict[str, Any]:
    matches = [p for p in records("leaders.jsonl") if p["name"] == name]
    assert len(matches) == 1, name
    return matches[0]


# -- every file ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_file_is_jsonl_with_meta_first(name: str) -> None:
    lines = [ln for ln in (DATA / name).read_text("utf-8").splitlines() if ln.strip()]
    parsed = [json.loads(ln) for ln in lines]  # every line is valid JSON
    assert all(isinstance(p, dict) for p in parsed)
    meta = parsed[0].get("_meta")
    assert meta, f"{name}: first line must be the _meta line"
    assert meta["description"] and meta["provenance"]
    assert meta["as_of"] == "2026-11"
    assert sum("_meta" in p for p in parsed) == 1
    assert len(parsed) > 1


# -- countries ---------------------------------------------------------------------------------


def test_countries_cover_pycountry_plus_kosovo() -> None:
    codes = [c["code"] for c in records("countries.jsonl")]
    assert len(codes) == len(set(codes))
    assert set(codes) == ISO3 | {"XKX"}
    for c in records("countries.jsonl"):
        if c["code"] in ISO3:
            iso = pycountry.countries.get(alpha_3=c["code"])
            assert iso is not None and c["alpha2"] == iso.alpha_2
        assert c["kind"] in {"state", "region"}
        assert c["name"] in c["aliases"]


def test_country_statuses() -> None:
    status = Counter(c["status"] for c in records("countries.jsonl"))
    assert status["un_member"] == 193
    assert status["un_observer"] == 2
    by_code = {c["code"]: c for c in records("countries.jsonl")}
    assert by_code["TWN"]["kind"] == "region" and by_code["XKX"]["kind"] == "region"
    assert by_code["PSE"]["kind"] == "state"
    for c in by_code.values():
        for claimant in c.get("claimed_by", []):
            assert claimant in VALID_COUNTRIES
        if c["status"] == "territory" and "sovereign" in c:
            assert c["sovereign"] in ISO3
        for form in c.get("ambiguous", []):
            assert form in c["aliases"] + c["adjectives"] + c["demonyms_plural"] + c["capitals"]


def test_states_have_capitals_and_most_have_adjectives() -> None:
    states = [c for c in records("countries.jsonl") if c["status"] in ("un_member", "un_observer")]
    assert all(c["capitals"] for c in states), [c["code"] for c in states if not c["capitals"]]
    without = [c["code"] for c in states if not c["adjectives"]]
    assert len(without) <= 5, without


@pytest.mark.parametrize(
    ("code", "forms"),
    [
        ("GBR", ["U.K.", "UK", "Britain", "Great Britain", "United Kingdom"]),
        ("USA", ["U.S.", "US", "USA", "U.S.A.", "United States", "United States of America",
                 "America"]),
        ("RUS", ["Russia", "Russian Federation"]),
        ("KOR", ["South Korea"]), ("PRK", ["North Korea"]), ("IRN", ["Iran"]), ("SYR", ["Syria"]),
        ("MDA", ["Moldova"]), ("VNM", ["Vietnam"]), ("LAO", ["Laos"]), ("BOL", ["Bolivia"]),
        ("VEN", ["Venezuela"]), ("TZA", ["Tanzania"]), ("TWN", ["Taiwan"]), ("PSE", ["Palestine"]),
        ("XKX", ["Kosovo"]), ("CIV", ["Ivory Coast"]), ("CZE", ["Czechia", "Czech Republic"]),
        ("TUR", ["Turkey", "Türkiye"]), ("MMR", ["Burma", "Myanmar"]),
        ("NLD", ["the Netherlands"]), ("PHL", ["the Philippines"]), ("GMB", ["the Gambia"]),
        ("COD", ["DR Congo", "DRC", "Democratic Republic of the Congo"]),
        ("COG", ["Congo-Brazzaville"]), ("GEO", ["Georgia"]), ("JOR", ["Jordan"]),
        ("KAZ", ["Kazakhstan", "Republic of Kazakhstan"]),
    ],
)
def test_country_aliases(code: str, forms: list[str]) -> None:
    country = next(c for c in records("countries.jsonl") if c["code"] == code)
    for form in forms:
        assert form in country["aliases"], f"{code} lacks {form!r}"


@pytest.mark.parametrize(
    ("code", "adjective", "capital", "seat"),
    [
        ("RUS", "Russian", "Moscow", "the Kremlin"),
        ("USA", "American", "Washington", "White House"),
        ("GBR", "British", "London", "Downing Street"), ("FRA", "French", "Paris", "the Elysee"),
        ("CHN", "Chinese", "Beijing", "Zhongnanhai"), ("KAZ", "Kazakh", "Astana", "Akorda"),
        ("UKR", "Ukrainian", "Kyiv", None), ("BLR", "Belarusian", "Minsk", None),
        ("KGZ", "Kyrgyz", "Bishkek", None), ("TJK", "Tajik", "Dushanbe", None),
        ("ISR", "Israeli", "Jerusalem", None), ("PSE", "Palestinian", "Ramallah", None),
        ("SAU", "Saudi", "Riyadh", None), ("ARE", "Emirati", "Abu Dhabi", None),
        ("AFG", "Afghan", "Kabul", None), ("MLI", "Malian", "Bamako", None),
        ("KOR", "South Korean", "Seoul", None), ("PRK", "North Korean", "Pyongyang", None),
    ],
)
def test_adjectives_capitals_seats(
    code: str, adjective: str, capital: str, seat: str | None
) -> None:
    country = next(c for c in records("countries.jsonl") if c["code"] == code)
    assert adjective in country["adjectives"]
    assert capital in country["capitals"]
    if seat:
        assert seat in country["seat_metonyms"]


def test_ambiguous_korean_not_mapped() -> None:
    forms = {f for c in records("countries.jsonl")
             for f in c["aliases"] + c["adjectives"] + c["demonyms_plural"]}
    assert "Korea" not in forms and "Korean" not in forms


def test_no_surface_form_names_two_countries() -> None:
    owner: dict[str, str] = {}
    for c in records("countries.jsonl"):
        forms = set(c["aliases"]) | set(c["capitals"]) | set(c["seat_metonyms"])
        forms |= set(c["adjectives"]) | set(c["demonyms_plural"])
        for form in forms:
            assert owner.setdefault(form, c["code"]) == c["code"], (form, owner[form], c["code"])


def test_build_script_is_deterministic_and_output_current() -> None:
    spec = importlib.util.spec_from_file_location("build_countries",
                                                  ROOT / "scripts" / "build_countries.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.render(module.build())
    assert text == module.render(module.build())
    assert text == (DATA / "countries.jsonl").read_text("utf-8"), "run scripts/build_countries.py"


# -- IGOs ----------------------------------------------------------------------------------------


def igo(code: str) -> dict[str, Any]:
    return next(g for g in records("igos.jsonl") if g["code"] == code)


def current_members(code: str) -> set[str]:
    return {m["country"] for m in igo(code)["members"] if m.get("to") is None}


def test_igos_codes_kinds_members() -> None:
    codes = [g["code"] for g in records("igos.jsonl")]
    assert len(codes) == len(set(codes))
    assert sum(g["kind"] == "igo" for g in records("igos.jsonl")) >= 30
    country_codes = {c["code"] for c in records("countries.jsonl")}
    for g in records("igos.jsonl"):
        assert g["kind"] in {"igo", "ngo"}
        assert g["code"].startswith("IGO" if g["kind"] == "igo" else "NGO")
        assert g["code"] not in country_codes
        assert g["name"] in g["aliases"]
        if "parent" in g:
            assert g["parent"] in codes
        for m in g["members"] + g.get("partners", []):
            assert m["country"] in VALID_COUNTRIES, (g["code"], m)
            check_period(m, f"{g['code']} {m['country']}")
        for m in g.get("igo_members", []):
            assert m["igo"] in codes


def test_required_igos_present() -> None:
    codes = {g["code"] for g in records("igos.jsonl")}
    required = {"IGOUNO", "IGOUNSC", "IGONATO", "IGOEU", "IGOCSTO", "IGOCIS", "IGOSCO", "IGOOSCE",
                "IGOAU", "IGOASEAN", "IGOARL", "IGOOPEC", "IGOG7", "IGOG20", "IGOBRICS", "IGOICC",
                "IGOIAEA", "IGOWHO", "IGOIMF", "IGOWB", "IGOWTO", "IGOINTERPOL", "IGOECOWAS",
                "IGOGCC", "IGOOAS", "IGOCOE", "IGOUNHCR", "IGOUNICEF", "NGOICRC", "NGOAMN",
                "NGOHRW", "NGOMSF"}
    assert required <= codes, required - codes


def test_csto_members() -> None:
    assert {"RUS", "ARM", "BLR", "KGZ", "TJK", "KAZ"} <= current_members("IGOCSTO")
    assert "UZB" not in current_members("IGOCSTO")
    armenia = next(m for m in igo("IGOCSTO")["members"] if m["country"] == "ARM")
    assert "2024" in armenia["note"]


def test_membership_snapshots() -> None:
    assert len(current_members("IGOUNO")) == 193
    assert len(current_members("IGONATO")) == 32
    nato = {m["country"]: m for m in igo("IGONATO")["members"]}
    assert nato["FIN"]["from"].startswith("2023") and nato["SWE"]["from"].startswith("2024")
    assert len(current_members("IGOEU")) == 27
    uk = next(m for m in igo("IGOEU")["members"] if m["country"] == "GBR")
    assert uk["from"].startswith("1973") and uk["to"].startswith("2020")
    assert {"EGY", "ETH", "IRN", "ARE", "IDN"} <= current_members("IGOBRICS")
    assert {"IND", "PAK", "IRN", "BLR"} <= current_members("IGOSCO")
    assert len(current_members("IGOOSCE")) == 57
    assert len(current_members("IGOAU")) == 55
    assert len(current_members("IGOARL")) == 22
    assert current_members("IGOUNSC") == {"CHN", "FRA", "RUS", "GBR", "USA"}
    assert "RUS" not in current_members("IGOCOE")


# -- leaders ---------------------------------------------------------------------------------------


def slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def test_leaders_structure() -> None:
    people = records("leaders.jsonl")
    assert len(people) >= 400
    slugs = [slug(p["name"]) for p in people]
    assert len(slugs) == len(set(slugs))
    igo_codes = {g["code"] for g in records("igos.jsonl")}
    region_codes = {r["code"] for r in records("regions.jsonl")}
    for p in people:
        assert p["name"] in p["aliases"]
        assert p["offices"] or p.get("igo_offices"), p["name"]
        for o in p["offices"]:
            assert o["country"] in VALID_COUNTRIES, (p["name"], o)
            assert o["agent"] in CAMEO_AGENTS, (p["name"], o)
            assert o["role"]
            check_period(o, p["name"])
            if "entity" in o:
                assert o["entity"] in region_codes
        for o in p.get("igo_offices", []):
            assert o["igo"] in igo_codes
            check_period(o, p["name"])


ROLE_CLASSES = {
    "head_of_state", "vice_head_of_state", "head_of_government", "deputy_head_of_government",
    "chief_of_staff", "party_leader", "foreign_minister", "defence_minister", "interior_minister",
    "finance_minister", "legislature_leader", "legislator", "security_adviser", "military_chief",
    "intelligence_chief", "judicial", "opposition_leader", "armed_group_leader", "breakaway_leader",
    "regional_leader", "crown_prince", "central_banker", "diplomat", "igo_official", "other",
}


def test_role_classes() -> None:
    offices = [o for p in records("leaders.jsonl") for o in p["offices"] + p.get("igo_offices", [])]
    assert {o["role_class"] for o in offices} <= ROLE_CLASSES
    heads = {o["country"] for o in offices if o["role_class"] == "head_of_state"}
    assert len(heads) >= 60
    assert next(o for o in person("Mukhtar Tileuberdi")["offices"]
                if o["role"] == "Foreign Minister")["role_class"] == "foreign_minister"


def test_no_alias_shared_between_people() -> None:
    owner: dict[str, str] = {}
    for p in records("leaders.jsonl"):
        for alias in p["aliases"]:
            assert owner.setdefault(alias, p["name"]) == p["name"], (alias, owner[alias], p["name"])


def test_leaders_cover_sixty_countries() -> None:
    countries = {o["country"] for p in records("leaders.jsonl") for o in p["offices"]}
    assert len(countries) >= 60


def holds(name: str, country: str, role: str, first: dt.date, last: dt.date) -> bool:
    return any(o["country"] == country and o["role"] == role and covers(o, first, last)
               for o in person(name)["offices"])


def test_key_office_holders() -> None:
    day = dt.date(2022, 2, 22)
    assert holds("Vladimir Putin", "RUS", "President", day, day)
    assert holds("Kassym-Jomart Tokayev", "KAZ", "President", dt.date(2022, 1, 1),
                 dt.date(2022, 1, 31))
    assert holds("Mukhtar Tileuberdi", "KAZ", "Deputy Prime Minister", dt.date(2022, 2, 1),
                 dt.date(2022, 2, 28))
    assert holds("Mukhtar Tileuberdi", "KAZ", "Foreign Minister", day, day)
    assert holds("Askar Mamin", "KAZ", "Prime Minister", dt.date(2021, 6, 1), dt.date(2021, 6, 1))
    assert not holds("Askar Mamin", "KAZ", "Prime Minister", dt.date(2022, 2, 1),
                     dt.date(2022, 2, 1))
    assert holds("Bashar al-Assad", "SYR", "President", dt.date(2024, 12, 1), dt.date(2024, 12, 1))
    assert not holds("Bashar al-Assad", "SYR", "President", dt.date(2025, 1, 1),
                     dt.date(2025, 1, 1))
    assert holds("Recep Tayyip Erdoğan", "TUR", "Prime Minister", dt.date(2010, 1, 1),
                 dt.date(2010, 1, 1))
    assert holds("Volodymyr Zelensky", "UKR", "President", day, day)
    assert sum(o["role"] == "Prime Minister" for o in person("Benjamin Netanyahu")["offices"]) >= 3


def test_rebel_and_opposition_leaders() -> None:
    pushilin = person("Denis Pushilin")["offices"]
    assert any(o["country"] == "UKR" and o["agent"] == "REB" for o in pushilin)
    assert any(o["country"] == "UKR" and o["agent"] == "REB"
               for o in person("Leonid Pasechnik")["offices"])
    navalny = person("Alexei Navalny")["offices"]
    assert any(o["country"] == "RUS" and o["agent"] == "OPP" and o["to"].startswith("2024")
               for o in navalny)


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("Volodymyr Zelensky", ["Zelensky", "Zelenskyy"]),
        ("Kassym-Jomart Tokayev", ["Tokayev"]),
        ("Alexander Lukashenko", ["Lukashenko", "Lukashenka"]),
        ("Recep Tayyip Erdoğan", ["Erdogan", "Erdoğan"]),
        ("Vladimir Putin", ["Putin", "Vladimir Vladimirovich Putin"]),
    ],
)
def test_leader_aliases(name: str, aliases: list[str]) -> None:
    for alias in aliases:
        assert alias in person(name)["aliases"]


# -- regions ---------------------------------------------------------------------------------------


def test_regions() -> None:
    regions = records("regions.jsonl")
    codes = [r["code"] for r in regions]
    assert len(codes) == len(set(codes))
    country_codes = {c["code"] for c in records("countries.jsonl")}
    for r in regions:
        assert r["country"] in VALID_COUNTRIES
        assert r["code"].startswith(r["country"]) and len(r["code"]) == 6
        assert r["code"] not in country_codes
        assert r["kind"] in {"region", "group"}
        assert r["agent"] is None or r["agent"] in CAMEO_AGENTS
        assert r["name"] in r["aliases"]
        for claimant in r.get("claimed_by", []):
            assert claimant in VALID_COUNTRIES
        check_period(r, r["code"])
    by_code = {r["code"]: r for r in regions}
    for code in ("UKRDPR", "UKRLPR"):
        assert by_code[code]["kind"] != "state" and by_code[code]["country"] == "UKR"
        assert by_code[code]["agent"] == "REB"
    for code in ("MDATRN", "GEOABK", "GEOSOS", "CYPNCY", "SOMSLD", "UKRCRI", "PSEGZA", "PSEWBK",
                 "SYRGOL", "INDKAS", "SDNDRF", "ETHTIG", "IRQKRD", "SYRRJV", "RUSCHE", "CHNTIB",
                 "CHNXIN", "BIHSRP", "AZEKRB", "ESHSDR"):
        assert code in by_code
    assert {"DPR", "DNR"} <= set(by_code["UKRDPR"]["aliases"])
    assert {"LPR", "LNR"} <= set(by_code["UKRLPR"]["aliases"])


# -- agents ----------------------------------------------------------------------------------------


def test_agents() -> None:
    agents = records("agents.jsonl")
    assert len(agents) >= 150
    phrases = [a["phrase"] for a in agents]
    assert len({p.casefold() for p in phrases}) == len(phrases)
    for a in agents:
        assert a["agent"] in CAMEO_AGENTS, a
        assert a["role"]
        # the resolver looks at most 4 tokens ahead; hyphens and 's are tokens of their own
        assert len(re.findall(r"[\w.]+|'s|[^\w\s]", a["phrase"])) <= 4, a["phrase"]
        if "country" in a:
            assert a["country"] in VALID_COUNTRIES
    by_phrase = {a["phrase"]: a["agent"] for a in agents}
    expected = {
        "deputy prime minister": "GOV", "president": "GOV", "cabinet of ministers": "GOV",
        "defence minister": "GOV", "defense minister": "GOV", "foreign ministry": "GOV",
        "parliament": "LEG", "lawmakers": "LEG", "court": "JUD", "prosecutor": "JUD",
        "soldier": "MIL", "soldiers": "MIL", "troops": "MIL", "armed forces": "MIL",
        "police": "COP", "security forces": "COP", "rebels": "REB", "separatists": "SEP",
        "opposition": "OPP", "protesters": "CVL", "civilians": "CVL", "journalists": "MED",
        "company": "BUS", "refugees": "REF", "intelligence service": "SPY",
    }
    for phrase, agent in expected.items():
        assert by_phrase.get(phrase) == agent, phrase


# -- the loader accepts the data -----------------------------------------------------------------


def test_actor_dictionary_loads() -> None:
    from diurna.actors import dictionary

    dictionary.load_dictionary.cache_clear()
    d = dictionary.load_dictionary()
    assert {e.kind for e in d.entries.values()} <= LOADER_KINDS | {"person", "seat", "capital"}
    putin = d.entries["person:vladimir-putin"]
    assert any(o.role == "President" and o.holds_on(dt.date(2022, 2, 22)) for o in putin.offices)
    assert "seat:RUS" in d.aliases["the Kremlin"]
    assert d.entries[d.aliases["DPR"][0]].code == "UKRDPR"
    assert d.agents["deputy prime minister"][:2] == ("GOV", "Deputy Prime Minister")
    assert d.agents["state department"][2] == "USA"
    assert d.agents["junta"][2] is None


def test_ruler_patterns_build() -> None:
    pytest.importorskip("spacy")
    from diurna.actors import dictionary, ruler

    dictionary.load_dictionary.cache_clear()
    patterns = ruler.ruler_patterns()
    ids = {p["id"] for p in patterns}
    assert "state:KAZ" in ids and "person:kassym-jomart-tokayev" in ids
    assert "igo:IGOCSTO" in ids and "region:UKRDPR" in ids
