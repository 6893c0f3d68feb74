"""The event step: code ``article.events`` from the parsed Doc and the resolved actors."""

from __future__ import annotations

from bisect import bisect_right

from diurna.actors.context import context_countries
from diurna.article import Actor, Article, Entity

# First-person pronouns that, inside a direct quotation, stand for the speaker's side.
_SPEAKER_PRONOUNS = {"we", "i"}


def speaker_pronouns(article: Article) -> list[Entity]:
    """"We call for a diplomatic solution," said the minister: "we" is the minister's side.

    Only subject pronouns inside direct quotes whose speaker resolved to an actor code.
    """
    doc = article.doc
    starts = [s.start for s in article.sentences]
    out: list[Entity] = []
    for quote in article.quotes:
        speaker = quote.speaker
        if not quote.direct or speaker is None or not speaker.code:
            continue
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if tok.lower_ in _SPEAKER_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
                actor = Actor(tok.text, speaker.name, speaker.code, speaker.country,
                              speaker.agent, speaker.kind)
                index = max(0, bisect_right(starts, tok.idx) - 1)
                out.append(Entity(tok.text, tok.idx, tok.idx + len(tok.text), "PRON", index,
                                  actor))
    return out


class EventStep:
    """Pipeline step: who did what to whom, for every sentence of the article."""

    name = "events"

    def __call__(self, article: Article) -> Article:
        from diurna.events.coder import code_events

        if article.doc is None:
            raise RuntimeError(
                f"article {article.id!r}: the event step needs a parsed Doc; run the NLP step "
                "(and the actor step) before it"
            )
        entities = [*article.entities, *speaker_pronouns(article)]
        article.events = code_events(article.doc, entities, article_id=article.id,
                                     context=context_countries(article))
        return article
