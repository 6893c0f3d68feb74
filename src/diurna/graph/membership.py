"""``member_of`` and ``allied_with``: who belongs to which organisation, and who is whose ally.

member_of (subject: a state or other party; object: an international organisation) is read from

* a descriptive apposition listing the members: "the CSTO – a military alliance of Russia, Armenia
  and Kazakhstan –", "the SCO, a bloc of China, Russia and India,";
* the noun *member*: "Poland, a member of the EU,", "A and B are members of C", "NATO members A
  and B", "X has never been a member of C" (negated), "X became a member of C in 2024" (dated);
* joining and leaving: "X joined NATO in 2023" (valid_from), "X left the CSTO in 2012" (valid_to),
  "X's accession to NATO";
* an organisation that includes its members: "the GCC groups A, B and C", "the CSTO brings together
  A and B", "the SCO, which includes A and B".

allied_with is symmetric and written in both directions: "A is a close ally of B", "A and B are
allies", "B, A's closest ally,", "A allied with B", "an alliance with B".
Only what the sentence says is extracted: membership lists of the actor dictionary are never used.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from diurna.article import Relation
from diurna.graph.context import Context, Mention, modality_at, words

MEMBER_KINDS = frozenset({"state", "region", "igo"})
# Between an organisation and its descriptive apposition: punctuation, the acronym in brackets.
_APPOS_GAP = frozenset({"(", ")", ",", "–", "—", "-", ":", "a", "an", "the"})
_MAX_APPOS_GAP = 6


def _igo(mentions: list[Mention]) -> Mention | None:
    return next((m for m in mentions if m.actor.kind == "igo"), None)


def _members(mentions: list[Mention], igo: Mention) -> list[Mention]:
    return [m for m in mentions if m.actor.kind in MEMBER_KINDS and m.code != igo.code]


class Membership:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.lex_member = words("member_nouns")
        self.lex_bloc = words("membership_nouns")
        self.lex_links = words("membership_links")
        # Every rule below starts from one of these lemmas: other tokens are never looked at.
        self.cues = frozenset({"member", "state", "country", "nation", "accession"}) | words(
            "join_verbs") | words("leave_verbs") | words("include_verbs")

    def __call__(self, sent: Span, index: int) -> Iterator[Relation]:
        yield from self.appositions(sent, index)
        for tok in self.ctx.tokens_with(sent, self.cues):
            if self._is_member_noun(tok):
                yield from self.member_noun(tok, sent, index)
            elif tok.pos_ == "VERB" and tok.lemma_ in words("join_verbs"):
                yield from self.joined(tok, index, leaving=False)
            elif tok.pos_ == "VERB" and tok.lemma_ in words("leave_verbs"):
                yield from self.joined(tok, index, leaving=True)
            elif tok.lemma_ == "accession":
                yield from self.accession(tok, index)
            elif tok.lemma_ in words("include_verbs") and (tok.pos_ == "VERB" or any(
                    c.dep_ == "nsubj" for c in tok.children)):  # "the GCC groups": a verb too
                yield from self.includes(tok, sent, index)

    def _is_member_noun(self, tok: Token) -> bool:
        if tok.pos_ not in ("NOUN", "PROPN"):
            return False
        if tok.lemma_ == "member" and tok.dep_ != "compound":
            return True
        return tok.lemma_ in ("state", "country", "nation") and any(
            c.lemma_ == "member" and c.dep_ in ("compound", "amod") for c in tok.children
        )

    def _rel(self, member: Mention, igo: Mention, index: int, modality: str = "asserted",
             valid_from: str | None = None, valid_to: str | None = None) -> Relation:
        return self.ctx.relation(member, "member_of", igo, index, modality=modality,
                                 valid_from=valid_from, valid_to=valid_to)

    # -- "the CSTO – a military alliance of Russia, Armenia ... –" ---------------------------

    def appositions(self, sent: Span, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        for igo in [m for m in ctx.mentions_in(sent) if m.actor.kind == "igo"]:
            i, gap = igo.end, 0
            while i < sent.end and gap <= _MAX_APPOS_GAP:
                tok = ctx.doc[i]
                at = ctx.by_token.get(i)
                if at is not None and at.code == igo.code:
                    i = at.end
                elif tok.lower_ in _APPOS_GAP or tok.pos_ == "ADJ":
                    i += 1
                else:
                    break
                gap += 1
            noun = ctx.doc[i] if i < sent.end else None
            if noun is None or noun.lemma_ not in self.lex_bloc or i == igo.end:
                continue
            link = ctx.doc[i + 1] if i + 1 < sent.end else None
            if link is None or link.lower_ not in self.lex_links:
                continue
            for member in _members(ctx.listed_after(i + 2, sent.end), igo):
                yield self._rel(member, igo, index)

    # -- the noun "member" -------------------------------------------------------------------

    def _igo_of(self, noun: Token, sent: Span) -> Mention | None:
        ctx = self.ctx
        found = ctx.group(ctx.pobj(noun, "of", "in"))
        for child in noun.children:
            if child.dep_ in ("compound", "poss", "nmod", "amod"):
                found += ctx.group(child)
        left = ctx.doc[noun.i - 1] if noun.i > sent.start else None
        if left is not None and left.lower_ == "member":
            left = ctx.doc[left.i - 1] if left.i > sent.start else None
        if left is not None and left.lower_ == "'s":
            left = ctx.doc[left.i - 1]
        found += [m for m in [ctx.at(left)] if m is not None]
        if noun.dep_ == "dobj" and noun.head.lemma_ in words("include_verbs") | {"have"}:
            found += ctx.subjects(noun.head)  # "the Council includes five members: A, B ..."
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children):
            verb = noun.head.head if noun.dep_ == "pobj" else noun.head
            found += ctx.subjects(verb)  # "the OIC counts A among its members"
        return _igo(found)

    def member_noun(self, noun: Token, sent: Span, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        igo = self._igo_of(noun, sent)
        if igo is None:
            return
        members: list[Mention] = []
        modality, valid_from = "asserted", None
        if noun.dep_ == "appos":
            members = ctx.group(noun.head) + ctx.listed_before(noun.left_edge.i, sent.start)
        elif noun.dep_ == "pobj" and noun.head.lower_ == "among":  # "counts A among its members"
            members = ctx.objects(noun.head.head)
            modality = modality_at(noun.head.head)
        elif noun.dep_ in ("attr", "oprd") or (noun.dep_ == "pobj" and noun.head.lower_ == "as"):
            verb = noun.head if noun.dep_ != "pobj" else noun.head.head
            members = ctx.subjects(verb)
            modality = modality_at(verb)
            if verb.lemma_ in ("become", "join"):
                valid_from = ctx.date_of(verb)
        for child in noun.children:
            if child.dep_ == "appos":
                members += ctx.group(child)
        members += ctx.listed_after(noun.i + 1, sent.end)
        if any(c.lower_ in ("no", "non") for c in noun.children):
            modality = "negated"
        seen: set[str] = set()
        for member in _members(members, igo):
            if member.code not in seen:
                seen.add(member.code)
                yield self._rel(member, igo, index, modality=modality, valid_from=valid_from)

    # -- joining, leaving, accession ---------------------------------------------------------

    def joined(self, verb: Token, index: int, *, leaving: bool) -> Iterator[Relation]:
        ctx = self.ctx
        igo = _igo(ctx.objects(verb) + ctx.group(ctx.pobj(verb, "from")))
        if igo is None:
            return
        modality = modality_at(verb)
        date = ctx.date_of(verb)
        if modality == "negated" or (leaving and modality != "asserted"):
            return  # "did not join/leave" dates nothing; "is not a member" is the negation
        members = ctx.subjects(verb) + ctx.companions(verb)
        for member in _members(members, igo):
            yield self._rel(member, igo, index, modality=modality,
                            valid_from=None if leaving else date,
                            valid_to=date if leaving else None)

    def accession(self, noun: Token, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        igo = _igo(ctx.group(ctx.pobj(noun, "to", "into")))
        if igo is None:
            return
        members = ctx.group(ctx.pobj(noun, "of"))
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod"):
                members += ctx.group(child)
        for member in _members(members, igo):
            yield self._rel(member, igo, index, modality=modality_at(noun),
                            valid_from=ctx.date_of(noun))

    # -- "the GCC groups A, B and C" ---------------------------------------------------------

    def includes(self, verb: Token, sent: Span, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        igo = _igo(ctx.subjects(verb))
        if igo is None:
            return
        members = ctx.objects(verb) + ctx.group(ctx.pobj(verb, "of"))
        start = verb.i + 1
        while start < sent.end and ctx.doc[start].lower_ in ("together", "of", "up"):
            start += 1
        members += ctx.listed_after(start, sent.end)
        seen: set[str] = set()
        for member in _members(members, igo):
            if member.code not in seen:
                seen.add(member.code)
                yield self._rel(member, igo, index, modality=modality_at(verb))


def _pairs(left: list[Mention], right: list[Mention]) -> Iterator[tuple[Mention, Mention]]:
    for a in left:
        for b in right:
            if a.code != b.code and a.actor.kind in MEMBER_KINDS | {"group"} and (
                b.actor.kind in MEMBER_KINDS | {"group"}
            ):
                yield a, b


class Alliances:
    """``allied_with`` in both directions."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # Every rule below starts from one of these words: other tokens are never looked at.
        self.cues = words("ally_nouns") | words("ally_verbs") | {"alliance"}

    def __call__(self, sent: Span, index: int) -> Iterator[Relation]:
        ctx = self.ctx
        done: set[tuple[str, str]] = set()
        for tok in ctx.tokens_with(sent, self.cues, lower=frozenset({"allied"})):
            pairs: list[tuple[Mention, Mention]] = []
            modality = "asserted"
            if tok.lemma_ in words("ally_nouns") and tok.pos_ == "NOUN":
                partners = ctx.group(ctx.pobj(tok, "of", "to"))
                partners += [m for c in tok.children if c.dep_ == "poss"
                             for m in ctx.group(c)]
                if tok.dep_ in ("attr", "oprd"):
                    subjects = ctx.subjects(tok.head)
                    modality = modality_at(tok.head)
                elif tok.dep_ == "appos":
                    subjects = ctx.group(tok.head)
                else:
                    subjects = [m for c in tok.children if c.dep_ == "appos"
                                for m in ctx.group(c)]
                    subjects += ctx.listed_after(tok.i + 1, sent.end)
                if partners:
                    pairs = list(_pairs(subjects, partners))
                elif tok.tag_ == "NNS" and tok.dep_ in ("attr", "oprd"):
                    pairs = list(_pairs(subjects, subjects))
            elif tok.lemma_ in words("ally_verbs") or tok.lower_ == "allied" or (
                    tok.lemma_ == "alliance"):
                partners = ctx.group(ctx.pobj(tok, "with"))
                if not partners:
                    continue
                verb = tok if tok.pos_ in ("VERB", "AUX", "ADJ") else tok.head
                subjects = [m for c in tok.children if c.dep_ == "poss" for m in ctx.group(c)]
                subjects = subjects or ctx.subjects(verb) or ctx.objects(verb)
                modality = modality_at(verb)
                pairs = list(_pairs(subjects, partners))
            for a, b in pairs:
                for x, y in ((a, b), (b, a)):
                    if (x.code, y.code) not in done:
                        done.add((x.code, y.code))
                        yield ctx.relation(x, "allied_with", y, index, modality=modality)
