"""The event step: code ``article.events`` from the parsed Doc and the resolved actors."""

from __future__ import annotations

from diurna.article import Article
from diurna.events.coder import code_events


class EventStep:
    """Pipeline step: who did what to whom, for every sentence of the article."""

    name = "events"

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            raise RuntimeError(
                f"article {article.id!r}: the event step needs a parsed Doc; run the NLP step "
                "(and the actor step) before it"
            )
        article.events = code_events(article.doc, article.entities, article_id=article.id)
        return article
