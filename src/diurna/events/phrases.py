"""Phrases sought in a list of tokens, by each token's lower-cased text, lemma or spelling.

The pattern matcher asks, for every candidate pattern of a trigger, whether one of the pattern's
object phrases ("talks", "peace talks") occurs in the trigger's object phrase. A :class:`Scope`
reads the word forms of the tokens once and answers all those questions from sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Token

# British and American spellings of the same lemma: spaCy keeps the spelling of the text.
SPELLING_VARIANTS = (("ise", "ize"), ("isation", "ization"), ("yse", "yze"), ("our", "or"))


# Cached: the same few thousand lemmas are looked up for every token of every pattern.
@lru_cache(maxsize=65536)
def variants(lemma: str) -> tuple[str, ...]:
    """``lemma`` in the other spelling ("recognise" -> "recognize"), if it has one."""
    out = []
    for british, american in SPELLING_VARIANTS:
        for a, b in ((british, american), (american, british)):
            if lemma.endswith(a):
                out.append(lemma.removesuffix(a) + b)
    return tuple(out)


@lru_cache(maxsize=65536)
def _forms(lower: str, lemma: str) -> frozenset[str]:
    """Every word a token spelled ``lower`` with lemma ``lemma`` matches in a phrase."""
    lemma = lemma.lower()
    return frozenset((lower, lemma, *variants(lemma)))


@lru_cache(maxsize=4096)
def phrase_words(phrase: str) -> tuple[str, ...]:
    """The words of a phrase of the pattern data."""
    return tuple(phrase.split())


class Scope:
    """The word forms of a list of tokens, computed once for all the phrases sought in it."""

    __slots__ = ("forms", "ids", "known")

    def __init__(self, tokens: Iterable[Token]) -> None:
        self.ids: list[int] = []
        self.forms: list[frozenset[str]] = []
        for t in tokens:
            self.ids.append(t.i)
            self.forms.append(_forms(t.lower_, t.lemma_))
        self.known: frozenset[str] = frozenset().union(*self.forms)

    def has(self, phrase: str) -> bool:
        """``phrase`` (one or more words) occurs in the tokens by lower-cased text or lemma."""
        parts = phrase_words(phrase)
        if not all(w in self.known for w in parts):
            return False  # a word found nowhere: no window can match
        ids, forms, n = self.ids, self.forms, len(parts)
        for i in range(len(ids) - n + 1):
            if any(ids[i + k] != ids[i] + k for k in range(n)):
                continue  # not contiguous in the sentence
            if all(w in forms[i + k] for k, w in enumerate(parts)):
                return True
        return False

    def longest(self, phrases: tuple[str, ...]) -> int:
        """Words of the longest of ``phrases`` found in the tokens; 0 when none is."""
        if self.known.isdisjoint(_first_words(phrases)):
            return 0  # no phrase can start anywhere: the usual case, decided in one set test
        return max((len(phrase_words(p)) for p in phrases if self.has(p)), default=0)


@lru_cache(maxsize=4096)
def _first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(parts[0] if (parts := phrase_words(p)) else "" for p in phrases)
