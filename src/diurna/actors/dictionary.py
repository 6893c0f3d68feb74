"""The actor dictionary: countries, IGOs, leaders, breakaway regions and agent nouns, as data.

All of it is read from the JSON Lines files in ``data/`` (each starts with a ``_meta`` line giving
its provenance) and cached once per process.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any


def read_jsonl(name: str) -> Iterator[dict[str, Any]]:
    """Records of ``data/<name>``, without the ``_meta`` line."""
    text = resources.files("diurna.actors").joinpath("data", name).read_text("utf-8")
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            if "_meta" not in record:
                yield record


def parse_date(value: str | None, *, end: bool = False) -> dt.date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date is its first (or last) day."""
    if not value:
        return None
    parts = [int(p) for p in str(value)[:10].split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    if len(parts) == 2:
        if end:
            nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(parts[0], parts[1], 1)
    return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Office:
    country: str
    role: str
    agent: str
    start: dt.date | None
    end: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Entry:
    """One canonical actor the dictionary knows."""

    key: str  # unique: "state:KAZ", "igo:IGOCSTO", "person:vladimir-putin", "seat:RUS", ...
    name: str
    kind: str  # state | igo | ngo | person | group | region | seat | capital
    code: str | None
    country: str | None
    agent: str | None = None
    offices: tuple[Office, ...] = ()
    members: tuple[tuple[str, dt.date | None, dt.date | None], ...] = ()
    adjectives: tuple[str, ...] = ()


@dataclass
class ActorDictionary:
    entries: dict[str, Entry] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # surface form → entry keys
    adjectives: dict[str, str] = field(default_factory=dict)  # "Kazakh" → "state:KAZ"
    # phrase → (agent, role, default country or None: "state department" is the USA's)
    agents: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    ambiguous: dict[str, str] = field(default_factory=dict)  # "Jordan" → "state:JOR"
    demonyms: set[str] = field(default_factory=set)  # plural demonyms: "Kazakhs", "Palestinians"
    agent_names: dict[str, str] = field(default_factory=dict)  # "MIL" → "military"

    def role_name(self, country: str | None, agent: str) -> str:
        """A readable name for a role actor: "Kazakhstan government", "military (unknown)"."""
        what = self.agent_names.get(agent, agent)
        if country in self.country_names:
            return f"{self.country_names[country]} {what}"
        return f"{what} (country unknown)"
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 → common name

    def add(self, entry: Entry, forms: list[str]) -> None:
        self.entries[entry.key] = entry
        for form in {f.strip() for f in forms if f and f.strip()}:
            keys = self.aliases.setdefault(form, [])
            if entry.key not in keys:
                keys.append(entry.key)

    def people_named(self, surface: str) -> list[Entry]:
        return [self.entries[k] for k in self.aliases.get(surface, []) if k.startswith("person:")]


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def _offices(record: dict[str, Any]) -> tuple[Office, ...]:
    """National offices, then offices in international organisations.

    An IGO office has the IGO's code in ``country`` and no agent: its holder speaks for the
    organisation ("UN Secretary-General Guterres" → IGOUNO).
    """
    national = [
        Office(o["country"], o.get("role") or "", o.get("agent") or "GOV",
               parse_date(o.get("from")), parse_date(o.get("to"), end=True))
        for o in record.get("offices", [])
    ]
    international = [
        Office(o["igo"], o.get("role") or "", "", parse_date(o.get("from")),
               parse_date(o.get("to"), end=True))
        for o in record.get("igo_offices", [])
    ]
    return tuple(national + international)


@lru_cache(maxsize=1)
def load_dictionary() -> ActorDictionary:
    d = ActorDictionary()
    for c in read_jsonl("countries.jsonl"):
        code = c["code"]
        d.country_names[code] = c["name"]
        kind = c.get("kind", "state")
        entry = Entry(f"{kind}:{code}", c["name"], kind, code, code)
        # Forms the data marks ambiguous ("Jersey", "Hamilton") are never matched alone.
        # They resolve only where the model itself tags them as a place (GPE).
        ambiguous = set(c.get("ambiguous", []))
        d.add(entry, [f for f in [c["name"], *c.get("aliases", [])] if f not in ambiguous])
        for form in ambiguous:
            d.ambiguous.setdefault(form, entry.key)
        for adjective in [*c.get("adjectives", []), *c.get("demonyms_plural", [])]:
            d.adjectives.setdefault(adjective, entry.key)
        d.demonyms.update(c.get("demonyms_plural", []))
        seat = Entry(
            f"seat:{code}", f"Government of {c['name']}", "seat", f"{code}GOV", code, "GOV"
        )
        d.add(seat, c.get("seat_metonyms", []))
        capital = Entry(f"capital:{code}", c["name"], "capital", f"{code}GOV", code, "GOV")
        d.add(capital, [f for f in c.get("capitals", []) if f not in ambiguous])
        for form in ambiguous & set(c.get("capitals", [])):
            d.ambiguous[form] = capital.key
    for r in read_jsonl("regions.jsonl"):
        entry = Entry(
            f"region:{r['code']}", r["name"], r.get("kind", "region"), r["code"],
            r.get("country"), r.get("agent"),
        )
        d.add(entry, [r["name"], *r.get("aliases", [])])
    for g in read_jsonl("igos.jsonl"):
        members = tuple(
            (m["country"], parse_date(m.get("from")), parse_date(m.get("to"), end=True))
            for m in g.get("members", [])
        )
        kind = g.get("kind", "igo")
        entry = Entry(f"{kind}:{g['code']}", g["name"], kind, g["code"], None, members=members)
        d.add(entry, [g["name"], *g.get("aliases", [])])
    for p in read_jsonl("leaders.jsonl"):
        offices = _offices(p)
        states = [o.country for o in offices if o.agent]
        country = states[-1] if states else None
        entry = Entry(f"person:{_slug(p['name'])}", p["name"], "person", None, country,
                      offices=offices)
        d.add(entry, [p["name"], *p.get("aliases", [])])
    codes = resources.files("diurna.actors").joinpath("data", "agent_codes.json")
    d.agent_names = json.loads(codes.read_text("utf-8"))["codes"]
    for i in read_jsonl("institutions.jsonl"):
        entry = Entry(f"institution:{_slug(i['name'])}", i["name"], "seat",
                      f"{i['country']}{i['agent']}", i["country"], i["agent"])
        d.add(entry, [i["name"], *i.get("aliases", [])])
    for a in read_jsonl("agents.jsonl"):
        d.agents[a["phrase"].casefold()] = (
            a["agent"], a.get("role") or a["phrase"].title(), a.get("country")
        )
    return d
