"""A seeded corpus of varied news articles, made from the texts in ``examples/``.

Every generated article has its own id and (after cleaning) its own text, except a few exact
copies under another id, which deduplication stores as ``duplicate``; two are in German
(``non_english``). Nothing in it fails to read, so a complete ingest has no failures.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

COUNTRIES = [
    "Georgia", "Mali", "Senegal", "Sudan", "Haiti", "Kenya", "Armenia", "Azerbaijan", "Belarus",
    "Kazakhstan", "France", "Russia", "China", "Philippines", "Niger", "Chad", "Ukraine",
    "Moldova", "Ghana", "Nigeria", "Ethiopia", "Egypt",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CITIES = ["Almaty", "Tbilisi", "Bamako", "Dakar", "Khartoum", "Nairobi", "Yerevan", "Baku",
          "Minsk", "Kyiv", "Accra", "Lagos", "Cairo", "Geneva", "Vienna", "Manila"]
GERMAN = [
    "Die Außenminister beider Länder trafen sich am Montag in Wien, um über die Krise in der "
    "Region zu beraten, und vereinbarten ein weiteres Treffen im nächsten Monat. Die Gespräche "
    "seien offen und konstruktiv gewesen, sagte ein Sprecher der Regierung.",
    "Das Parlament stimmte am Donnerstag mit großer Mehrheit für das neue Gesetz, nachdem die "
    "Opposition die Sitzung aus Protest verlassen hatte. Die Regierung kündigte an, das Gesetz "
    "noch in diesem Jahr in Kraft zu setzen.",
]
_COUNTRY = re.compile(r"\b(" + "|".join(COUNTRIES) + r")\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_CITY = re.compile(r"\b(" + "|".join(CITIES) + r")\b")
# A count before a word ("12 soldiers"), not a day of the month ("May 1, 2024").
_NUMBER = re.compile(r"\b([1-9]\d?)(?= [a-z])")


def seed_texts() -> list[tuple[str, str]]:
    """(title, body) of the plain-text examples and the text records of ``wire.jsonl``."""
    found = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
        # The first paragraph that is a sentence opens the story; the shorter lines before
        # it are noise (banners, breadcrumbs) and the headline.
        title = next((p for p in paragraphs
                      if 20 < len(p) < 120 and ">" not in p and not p.endswith(".")),
                     path.stem)
        body = [p for p in paragraphs if p.endswith((".", "”", '"')) and len(p) > 60]
        found.append((title, "\n\n".join(body)))
    for line in (EXAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("text"):
            found.append((record["title"], record["text"]))
    return found


def _variant(title: str, body: str, rng: random.Random, n: int) -> tuple[str, str]:
    countries = dict(zip(COUNTRIES, rng.sample(COUNTRIES, len(COUNTRIES)), strict=True))
    days = dict(zip(WEEKDAYS, rng.sample(WEEKDAYS, len(WEEKDAYS)), strict=True))
    cities = dict(zip(CITIES, rng.sample(CITIES, len(CITIES)), strict=True))

    def swap(text: str) -> str:
        text = _COUNTRY.sub(lambda m: countries[m.group(1)], text)
        text = _CITY.sub(lambda m: cities[m.group(1)], text)
        text = _WEEKDAY.sub(lambda m: days[m.group(1)], text)
        return _NUMBER.sub(lambda m: str(rng.randint(2, 90)), text)

    paragraphs = body.split("\n\n")
    head, rest = paragraphs[:1], paragraphs[1:]
    rng.shuffle(rest)
    keep = rest[: rng.randint(1, 2)]  # short articles keep the tests quick
    city, country = rng.choice(CITIES), rng.choice(COUNTRIES)
    closing = (f"Officials in {city} said on {rng.choice(WEEKDAYS)} that talks with {country} "
               f"would continue, report number {n} added.")
    return swap(title), swap("\n\n".join([*head, *keep, closing]))


def generate(n: int, seed: int = 20240501) -> list[dict[str, str]]:
    """``n`` article records ``{id, title, text, url, published, source}``."""
    rng = random.Random(seed)
    seeds = seed_texts()
    records: list[dict[str, str]] = []
    for i in range(n):
        if i % 97 == 41 and records:  # an exact copy of an earlier story, under another id
            original = rng.choice(records)
            title, text = original["title"], original["text"]
        elif i % 151 == 77:
            title, text = "Treffen in Wien", GERMAN[(i // 151) % len(GERMAN)]
        else:
            title, text = _variant(*rng.choice(seeds), rng, i)
        records.append({
            "id": f"gen-{i:05d}",
            "title": title,
            "text": text,
            "url": f"https://wire.example.test/{i:05d}",
            "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "source": "Example Wire",
        })
    return records


def write_jsonl(records: list[dict[str, str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
