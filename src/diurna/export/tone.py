"""Tone: how positive or negative the words of a text are, on GDELT's AvgTone scale.

``tone(text)`` is the share of positive words minus the share of negative words, in percent of
all the words of the text: ``100 * (positive - negative) / words``. It runs from -100 (every
word negative) to +100, and news text usually lands between -10 and +5, as GDELT's AvgTone does.
A word is positive or negative by the sign of its valence in the VADER lexicon
(``vader_lexicon.txt``, about 7,500 words and emoticons rated by human judges; Hutto and
Gilbert, ICWSM 2014), which the ``vaderSentiment`` package (MIT licence) ships and Diurna reads
from the installed package. Only VADER's word list is used, not its rules (no boosters, no
negation, no compound score): a plain word count keeps the scale GDELT users know, and the tone
of a sentence is comparable to that of a whole article.

Diurna stores two tones (migration ``005_views_tone.sql``):

* ``articles.avg_tone``: the tone of the article's cleaned text;
* ``events.avg_tone``: the tone of the sentence the event was coded from.

:class:`ToneStep` sets both during ingest. Where it has not run, the exports and the Python API
compute the same values from the stored text (``diurna.store.views.install_tone``).
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb

from diurna.article import Article

LEXICON_PACKAGE = "vaderSentiment"
LEXICON_FILE = "vader_lexicon.txt"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
# Tones are rounded to this many decimals: enough to rank articles, short in exports.
DECIMALS = 4


@lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Word → +1 (positive) or -1 (negative), from VADER's lexicon; emoticons are left out."""
    text = resources.files(LEXICON_PACKAGE).joinpath(LEXICON_FILE).read_text("utf-8")
    words: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not _WORD.fullmatch(parts[0]):
            continue
        try:
            valence = float(parts[1])
        except ValueError:
            continue
        if valence:
            words[parts[0]] = 1 if valence > 0 else -1
    return words


def words_of(text: str) -> list[str]:
    """The lower-cased words of ``text`` (letters, with inner apostrophes: *don't*)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=4096)
def tone(text: str | None) -> float | None:
    """GDELT-style tone of ``text``: positive minus negative words, in percent of all words.

    ``None`` for a text without words.

    >>> tone("Talks were a success and both sides welcomed the peace deal.")
    27.2727
    >>> tone("Troops killed three protesters.")
    -50.0
    """
    if not text:
        return None
    words = words_of(text)
    if not words:
        return None
    signs = lexicon()
    score = sum(signs.get(word, 0) for word in words)
    return round(100.0 * score / len(words), DECIMALS)


def _set_tone(record: Any, value: float | None) -> None:
    """Set ``avg_tone`` on a record whose dataclass has that field (older ones have none)."""
    with contextlib.suppress(AttributeError):
        record.avg_tone = value


class ToneStep:
    """Pipeline step ``tone``: the article's tone and each event's (its sentence's) tone.

    Runs after the event step. It only adds the ``avg_tone`` fields.
    """

    name = "tone"

    def __call__(self, article: Article) -> Article:
        _set_tone(article, tone(article.text))
        sentences = {s.index: s.text for s in article.sentences}
        for event in article.events:
            _set_tone(event, tone(sentences.get(event.sentence_index)))
        return article


def register_function(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Make :func:`tone` callable from SQL on ``con`` as ``name(text) -> DOUBLE``.

    A function is registered once per open database, not per connection: a second connection
    to the same file in this process finds it there already.
    """
    found = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [name]
    ).fetchall()
    if not found[0][0]:
        con.create_function(name, tone, ["VARCHAR"], "DOUBLE", side_effects=False)
