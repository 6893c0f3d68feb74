"""The records that flow through the pipeline.

One :class:`Article` enters the pipeline and gains fields at each step. Only plain data lives
here (no spaCy objects), so an article pickles cheaply to a worker process and serialises
one-to-one to the ``diurna extract`` JSON record (see ``docs/extract-format.md``).

Every span-bearing record (sentence, entity, event, quote, count) points into ``Article.text``
(the *cleaned* text) by character offsets ``start``/``end`` (end exclusive).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Removed:
    """A piece of boilerplate that the cleaning step took out, and why."""

    text: str
    reason: str


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Actor:
    """A canonical actor in the CAMEO actor-code convention (``KAZGOV``, ``IGOCSTO``, ``RUS``)."""

    text: str
    name: str | None = None
    code: str | None = None
    country: str | None = None
    agent: str | None = None
    kind: str = "unknown"  # state | igo | person | group | region | treaty | unknown


@dataclass(slots=True)
class Entity:
    text: str
    start: int
    end: int
    label: str
    sentence_index: int = 0
    actor: Actor | None = None


@dataclass(slots=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Event:
    id: str
    sentence_index: int
    trigger: Span
    source: Actor | None
    target: Actor | None
    cameo: str
    plover: dict[str, Any]
    modality: str  # asserted | negated | future | hypothetical
    quad_class: int
    goldstein: float
    confidence: float
    pattern_id: str
    date: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    rejection_cameo: str | None = None
    avg_tone: float | None = None  # tone of the event's sentence (GDELT's AvgTone scale)


@dataclass(slots=True)
class Count:
    kind: str  # KILL | WOUND | ARREST | KIDNAP | DISPLACE | PROTEST | AFFECT | SEIZE
    number: int
    approximate: bool
    object: str | None
    text: str
    start: int
    end: int
    sentence_index: int
    date: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    event_id: str | None = None


@dataclass(slots=True)
class Quote:
    text: str
    start: int
    end: int
    speaker: Actor | None
    verb: str | None
    direct: bool
    sentence_index: int


@dataclass(slots=True)
class Relation:
    subject: Actor
    predicate: str
    object: Actor
    valid_from: str | None
    valid_to: str | None
    modality: str
    sentence_index: int
    evidence: Span


@dataclass(slots=True)
class Article:
    """One news article and everything the pipeline has learned about it."""

    id: str
    text: str = ""
    raw: str = ""  # the text or HTML as read; dropped after cleaning to keep records small
    source: str | None = None  # the file (and line or record) it was read from
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    author: str | None = None
    fetched: str | None = None  # when a crawler fetched it (WARC-Date), if known
    is_html: bool = False
    language: str | None = None
    content_hash: str | None = None
    duplicate_of: str | None = None
    status: str = "ok"  # ok | duplicate | non_english | failed
    status_reason: str | None = None
    failed_step: str | None = None
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)  # geocoded place mentions
    avg_tone: float | None = None  # positive minus negative words, % of words (GDELT's scale)
    # The spaCy Doc of ``text``, alive only between the NLP step and the end of the analysis
    # pipeline, inside one process; it is never pickled, stored or serialised.
    doc: Any = field(default=None, repr=False, compare=False)

    def to_record(self) -> dict[str, Any]:
        """The ``extract`` JSON record: the contract in ``docs/extract-format.md``."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "source": self.source,
            "language": self.language,
            "status": self.status,
            "status_reason": self.status_reason,
            "duplicate_of": self.duplicate_of,
            "text": self.text,
            "removed": [asdict(r) for r in self.removed],
            "warnings": list(self.warnings),
            "avg_tone": self.avg_tone,
            "sentences": [asdict(s) for s in self.sentences],
            "entities": [asdict(e) for e in self.entities],
            "events": [asdict(e) for e in self.events],
            "counts": [asdict(c) for c in self.counts],
            "quotes": [asdict(q) for q in self.quotes],
            "relations": [asdict(r) for r in self.relations],
            "places": list(self.places),
        }


@dataclass(slots=True)
class Failure:
    """A file or record that could not be read or processed, with a specific reason."""

    source: str
    reason: str
    stage: str = "read"  # read | clean | nlp | code | store
    article_id: str | None = None
