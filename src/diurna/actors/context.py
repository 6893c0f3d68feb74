"""Which country a sentence is about, from the actors already resolved in the article.

Used where the text implies actors it does not name: "the protests turned into riots" are the
protests of the country the passage is about. The rule is the one the resolver uses for role
phrases: the one state named in the sentence, else in one of the two sentences before it, else
the article's dominant state (one with at least half of its state mentions).
"""

from __future__ import annotations

from collections import Counter

from diurna.actors.resolve import CONTEXT_SENTENCES, DOMINANT_SHARE
from diurna.article import Article


def _state_countries(article: Article) -> dict[int, set[str]]:
    per_sentence: dict[int, set[str]] = {}
    for e in article.entities:
        a = e.actor
        # States and their governments say which country a passage is about; a foreign
        # army or an adjective on someone else's noun does not.
        if a is not None and a.country and a.kind == "state" and a.agent in (None, "GOV"):
            per_sentence.setdefault(e.sentence_index, set()).add(a.country)
    return per_sentence


def context_countries(article: Article) -> dict[int, str]:
    """Sentence index → the country the sentence is about, where one can be told."""
    per_sentence = _state_countries(article)
    counts = Counter(
        e.actor.country for e in article.entities
        if e.actor is not None and e.actor.country and e.actor.kind == "state"
    )
    dominant = None
    if counts:
        country, n = counts.most_common(1)[0]
        if n / sum(counts.values()) >= DOMINANT_SHARE:
            dominant = country
    out: dict[int, str] = {}
    for i in range(len(article.sentences)):
        chosen = dominant
        for k in range(i, max(-1, i - CONTEXT_SENTENCES - 1), -1):
            states = per_sentence.get(k, set())
            if len(states) == 1:
                chosen = next(iter(states))
                break
            if states:
                break
        if chosen:
            out[i] = chosen
    return out
