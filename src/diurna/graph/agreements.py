"""``signatory_of`` and ``beneficiary_of``: who signed a treaty, and whom it protects.

The object is always a treaty actor found by :mod:`diurna.graph.treaties` (so "the Memorandum"
after "the 1994 Budapest Memorandum" is the same treaty). signatory_of comes from

* a signatory noun: "A, B and C are the three signatories of T", "A, a signatory to T,",
  "T signatories A and B", "A is a party to T", "B, a guarantor of T";
* a signing verb: "A and B signed T in 1994", "T was signed by A and B", "T, signed by A, B and C
  in 1995,", "A ratified T"; a negated verb gives a negated relation ("India has not signed T");
* "T between A and B".

beneficiary_of comes from the treaty as the subject of provide/give/grant/offer/extend/guarantee/
assure ("The Memorandum provides assurances to A, B and C", "T guarantees the security of A"),
from "A received assurances under T", "A was given guarantees under T", and from "A is a
beneficiary of T".

valid_from is the date of signing the sentence gives ("signed ... in 1994"), else the treaty's year
(written with its name, or from the treaty catalogue).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from diurna.article import Relation
from diurna.graph.context import PARTY_KINDS, Context, Mention, modality_at, words
from diurna.graph.treaties import TREATY_LABEL

_BENEFICIARY_NOUNS = frozenset({"beneficiary", "recipient"})


def _treaty(mentions: list[Mention]) -> Mention | None:
    return next((m for m in mentions if m.label == TREATY_LABEL), None)


def _parties(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.actor.kind in PARTY_KINDS and m.label not in (TREATY_LABEL, "NORP") and (
            m.code not in seen
        ):
            seen.add(m.code)
            out.append(m)
    return out


class Agreements:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # Every rule of _all starts from one of these lemmas: other tokens are never looked at.
        self.cues = words("signatory_nouns") | _BENEFICIARY_NOUNS | words("sign_verbs") | words(
            "benefit_verbs") | words("benefit_receive_verbs")

    def _emit(self, parties: list[Mention], predicate: str, treaty: Mention, index: int,
              modality: str = "asserted", date: str | None = None) -> Iterator[Relation]:
        for party in _parties(parties):
            yield self.ctx.relation(party, predicate, treaty, index, modality=modality,
                                    valid_from=date or treaty.year)

    def __call__(self, sent: Span, index: int) -> Iterator[Relation]:
        seen: set[tuple[str, str, str]] = set()
        for rel in self._all(sent, index):
            key = (rel.subject.code or "", rel.predicate, rel.object.code or "")
            if key not in seen:
                seen.add(key)
                yield rel

    def _all(self, sent: Span, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        for tok in ctx.tokens_with(sent, folded=self.cues):
            lemma = tok.lemma_.casefold()
            if tok.pos_ in ("NOUN", "PROPN") and lemma in words("signatory_nouns"):
                yield from self.noun(tok, sent, index, "signatory_of")
            elif tok.pos_ in ("NOUN", "PROPN") and lemma in _BENEFICIARY_NOUNS:
                yield from self.noun(tok, sent, index, "beneficiary_of")
            elif tok.pos_ == "VERB" and lemma in words("sign_verbs"):
                yield from self.signed(tok, index)
            elif tok.pos_ == "VERB" and lemma in words("benefit_verbs"):
                yield from self.provides(tok, index)
                if any(c.dep_ == "nsubjpass" for c in tok.children):  # "A was given ... under T"
                    yield from self.received(tok, index)
            elif tok.pos_ == "VERB" and lemma in words("benefit_receive_verbs"):
                yield from self.received(tok, index)
        for treaty in [m for m in ctx.mentions_in(sent) if m.label == TREATY_LABEL]:
            root = ctx.doc[treaty.end - 1]
            between = ctx.group(ctx.pobj(root, "between"))
            if len(_parties(between)) >= 2:
                yield from self._emit(between, "signatory_of", treaty, index)

    def noun(self, noun: Token, sent: Span, index: int, predicate: str) -> Iterator[Relation]:
        ctx = self.ctx
        treaty = _treaty(ctx.group(ctx.pobj(noun, "of", "to", "under")) + [
            m for c in noun.children if c.dep_ in ("compound", "nmod", "poss")
            for m in ctx.group(c)])
        if treaty is None:
            return
        parties: list[Mention] = []
        modality = "asserted"
        if noun.dep_ in ("attr", "oprd"):
            parties = ctx.subjects(noun.head)
            modality = modality_at(noun.head)
        elif noun.dep_ == "appos":
            parties = ctx.group(noun.head) + ctx.listed_before(noun.left_edge.i, sent.start)
        parties += [m for c in noun.children if c.dep_ == "appos" for m in ctx.group(c)]
        after = ctx.doc[noun.i + 1] if noun.i + 1 < sent.end else None
        if after is not None and ctx.at(after) is not None and ctx.at(after) is not treaty:
            parties += ctx.listed_after(noun.i + 1, sent.end)
        yield from self._emit(parties, predicate, treaty, index, modality)

    def signed(self, verb: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        if verb.dep_ == "acl":  # "T, signed by A and B in 1995,"
            treaty = _treaty(ctx.group(verb.head))
            signers = ctx.group(ctx.pobj(verb, "by"))
        else:
            treaty = _treaty(ctx.objects(verb))
            signers = ctx.subjects(verb)
        if treaty is None:
            return
        yield from self._emit(signers, "signatory_of", treaty, index, modality_at(verb),
                              ctx.date_of(verb))

    def provides(self, verb: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        treaty = _treaty(ctx.subjects(verb))
        if treaty is None:
            return
        parties = ctx.group(ctx.pobj(verb, "to", "for"))
        parties += [m for c in verb.children if c.dep_ in ("dative", "iobj") for m in ctx.group(c)]
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            parties += ctx.group(ctx.pobj(obj, "to", "for", "of"))
            parties += [m for c in obj.children if c.dep_ == "poss" for m in ctx.group(c)]
            if verb.lemma_ in ("guarantee", "assure"):
                parties += ctx.group(obj)
        yield from self._emit(parties, "beneficiary_of", treaty, index, modality_at(verb))

    def received(self, verb: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        treaty = _treaty(ctx.group(ctx.pobj(verb, "under", "by", "through")))
        if treaty is None:
            return
        yield from self._emit(ctx.subjects(verb) + ctx.objects(verb), "beneficiary_of", treaty,
                              index, modality_at(verb))
