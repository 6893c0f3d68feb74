"""The actor step: fill ``article.entities`` from the parsed Doc."""

from __future__ import annotations

from diurna.actors.resolve import resolve_entities
from diurna.article import Article


class ActorStep:
    name = "actors"

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            raise RuntimeError("the actor step needs the NLP step to run first")
        article.entities = resolve_entities(article.doc, article.published)
        return article
