"""The ``relations`` step: lasting relations between actors, each with its sentence as evidence.

It runs after the actor and event steps (and works with or without the facts steps): it reads the
parsed Doc, the resolved actor mentions and the coded events, finds the treaties of the article
(:mod:`diurna.graph.treaties`) and runs the extractors sentence by sentence:

======================  ============================================  ===========================
predicate               subject → object                              module
======================  ============================================  ===========================
member_of               state (or IGO) → IGO                          :mod:`.membership`
allied_with             party ↔ party (both directions)               :mod:`.membership`
signatory_of            party → treaty                                :mod:`.agreements`
beneficiary_of          party → treaty                                :mod:`.agreements`
holds_office            person → office (code = the state)            :mod:`.offices`
recognizes              party → party                                 :mod:`.triggers`
does_not_recognize      party → party                                 :mod:`.triggers`
annexed, occupies       party → territory                             :mod:`.triggers`
sanctions               party → party or person                       :mod:`.triggers`
at_war_with             party ↔ party (both directions)               :mod:`.triggers`
======================  ============================================  ===========================

Only what the text states becomes a relation: nothing is derived from the actor dictionary's
membership lists, and every relation keeps the sentence it came from. When an event and a text
rule give the same relation in one sentence it is kept once (the first found, with any date the
other one had).
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc

from diurna.article import Article, Relation
from diurna.graph import PREDICATES
from diurna.graph.agreements import Agreements
from diurna.graph.context import Context
from diurna.graph.membership import Alliances, Membership
from diurna.graph.offices import Offices
from diurna.graph.treaties import find_treaties
from diurna.graph.triggers import Triggers

__all__ = ["PREDICATES", "RelationStep", "extract_relations"]

def _key(rel: Relation) -> tuple[str | None, ...]:
    person = rel.subject.name if rel.subject.kind == "person" else None
    office = rel.object.name if rel.object.kind == "office" else None
    return (rel.subject.code, person, rel.predicate, rel.object.code, office,
            str(rel.sentence_index))


def _merge(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, sentence): the first, dates completed."""
    kept: dict[tuple[str | None, ...], Relation] = {}
    for rel in relations:
        first = kept.get(_key(rel))
        if first is None:
            kept[_key(rel)] = rel
            continue
        if first.valid_from is None and rel.valid_from is not None:
            kept[_key(rel)] = dataclasses.replace(first, valid_from=rel.valid_from)
        if first.valid_to is None and rel.valid_to is not None:
            kept[_key(rel)] = dataclasses.replace(kept[_key(rel)], valid_to=rel.valid_to)
    return sorted(kept.values(), key=lambda r: (r.sentence_index, r.evidence.start))


def extract_relations(article: Article, doc: Doc) -> list[Relation]:
    """Every relation ``article`` states, in sentence order."""
    ctx = Context(article, doc, find_treaties(doc))
    triggers = Triggers(ctx)
    extractors = (Membership(ctx), Alliances(ctx), Agreements(ctx), Offices(ctx), triggers)
    found: list[Relation] = []
    for event in article.events:
        found.extend(triggers.from_event(event))
    for index, sent in enumerate(ctx.sentences):
        for extract in extractors:
            found.extend(extract(sent, index))
    return _merge(found)


class RelationStep:
    """Pipeline step: fill ``article.relations`` (run it after the actor and event steps)."""

    name = "relations"

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            raise RuntimeError(
                f"article {article.id!r}: the relations step needs a parsed Doc; run the NLP, "
                "actor and event steps before it in the same pipeline"
            )
        article.relations = extract_relations(article, article.doc)
        return article
