"""Treaties, agreements and accords as actors of kind ``treaty``.

A treaty is found three ways, in this order:

1. a name of ``data/treaties.jsonl`` ("the Budapest Memorandum", "NPT", "the Minsk agreements");
2. its form: a capitalised name headed by Memorandum, Treaty, Agreement(s), Accord(s),
   Convention(s), Protocol, Pact or Charter, with capitalised words before the head ("Budapest
   Memorandum") or an of/on/for tail after it ("Treaty on Allied Relations"), and a year written
   right before ("the 1994 ...") or after ("... of 1994", "... (1994)") it;
3. a definite reference to an earlier one: "The Memorandum", "the treaty" resolve to the last
   treaty mentioned before with the same head word; a capitalised head ("The Treaty") falls back
   to the last treaty of any kind.

Codes: a catalogued treaty has the catalogue's code (``TREATY:budapest-memorandum-1994``); another
one gets ``TREATY:`` + a slug of its name + ``-`` + its year when the text gives one
(``TREATY:treaty-on-allied-relations``). Inside one article a later mention with the same name
takes the earlier mention's code. A name inside an international organisation's name ("the
Collective Security Treaty Organization") is the organisation, never a treaty.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from diurna.article import Actor
from diurna.graph.context import Mention
from diurna.nlp.columns import doc_text, string_columns

HEADS = frozenset({"memorandum", "treaty", "agreement", "agreements", "accord", "accords",
                   "convention", "conventions", "protocol", "pact", "charter"})
# Words that start the tail of a name: "Treaty on ...", "Treaty of ...".
TAIL_STARTS = frozenset({"of", "on", "for", "concerning", "regarding"})
# Words allowed inside a tail, between capitalised words ("Friendship, Cooperation and ...").
TAIL_LINKS = frozenset({"of", "on", "for", "and", "the", "a", ",", "-", "to"})
DETERMINERS = frozenset({"the", "this", "that"})
YEAR = re.compile(r"^(?:1[6-9]\d\d|20\d\d)$")
TREATY_LABEL = "TREATY"


@dataclass(frozen=True)
class Treaty:
    code: str
    name: str
    year: str | None
    signed: str | None


@lru_cache(maxsize=1)
def catalog() -> tuple[dict[str, Treaty], re.Pattern[str]]:
    """Catalogued treaties by case-folded alias, and one pattern matching every alias."""
    text = resources.files("diurna.graph").joinpath("data", "treaties.jsonl").read_text("utf-8")
    by_alias: dict[str, Treaty] = {}
    forms: set[str] = set()
    for line in text.splitlines():
        record = json.loads(line) if line.strip() else {}
        if not record or "_meta" in record:
            continue
        treaty = Treaty(record["code"], record["name"], record.get("year"), record.get("signed"))
        for form in [record["name"], *record.get("aliases", [])]:
            by_alias.setdefault(form.casefold(), treaty)
            forms.add(form)
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return by_alias, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def _head_word(text: str) -> str:
    return text.casefold().rstrip("s")


def _in_igo(token: Token) -> bool:
    return token.ent_id_.startswith(("igo:", "ngo:"))


def _name_word(token: Token) -> bool:
    """A word that can be part of a treaty's name: capitalised, an acronym or a hyphen."""
    if token.text == "-":
        return True
    return bool(token.text[:1].isupper()) and token.lower_ not in DETERMINERS and (
        token.pos_ in ("PROPN", "ADJ", "NOUN", "NUM")
    )


class _Finder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.found: list[Mention] = []
        self.heads: dict[int, str] = {}  # id(mention) -> head word

    def year_before(self, i: int) -> str | None:
        if i > 0 and YEAR.match(self.doc[i - 1].text):
            return self.doc[i - 1].text
        return None

    def year_after(self, i: int) -> str | None:
        doc = self.doc
        if i + 2 < len(doc) and doc[i].text == "(" and YEAR.match(doc[i + 1].text) and (
            doc[i + 2].text == ")"
        ):
            return doc[i + 1].text
        if i + 1 < len(doc) and doc[i].lower_ == "of" and YEAR.match(doc[i + 1].text):
            return doc[i + 1].text
        return None

    def bounds(self, head: Token) -> tuple[int, int]:
        """Tokens of the name around ``head``: capitalised words before it, a tail after it."""
        sent = head.sent
        lo = head.i
        while lo - 1 >= sent.start and _name_word(self.doc[lo - 1]) and not _in_igo(
            self.doc[lo - 1]
        ) and not (lo - 1 == sent.start and self.doc[lo - 1].pos_ != "PROPN"):
            lo -= 1
        hi = head.i + 1
        if hi < sent.end and self.doc[hi].lower_ in TAIL_STARTS:
            k, last = hi + 1, hi
            while k < sent.end and (self.doc[k].lower_ in TAIL_LINKS or _name_word(self.doc[k])):
                if _name_word(self.doc[k]) and self.doc[k].text != "-":
                    last = k
                k += 1
            if last > hi:
                hi = last + 1
        return lo, hi

    def add(self, start: int, end: int, actor: Actor, year: str | None, head: str) -> None:
        mention = Mention(actor, start, end, TREATY_LABEL, year)
        self.found.append(mention)
        self.heads[id(mention)] = head

    def named(self, text: str, year: str | None) -> tuple[Actor, str | None]:
        """The actor for a treaty named ``text``: catalogued, seen earlier, or new."""
        by_alias, _ = catalog()
        name = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
        known = by_alias.get(name.casefold())
        if known is not None and (year is None or known.year is None or year == known.year):
            return Actor(text, known.name, known.code, None, None, "treaty"), year or known.year
        for earlier in reversed(self.found):
            seen = (earlier.actor.text or "").casefold()
            if earlier.actor.name and (seen == name.casefold() or seen.startswith(
                    name.casefold() + " ") or (earlier.actor.name or "").casefold()
                    == name.casefold()):
                return Actor(text, earlier.actor.name, earlier.actor.code, None, None,
                             "treaty"), year or earlier.year
        code = f"TREATY:{slug(name)}" + (f"-{year}" if year else "")
        return Actor(text, name, code, None, None, "treaty"), year

    def resolve_reference(self, head: Token) -> Mention | None:
        """"The Memorandum" → the last treaty before it with the same head word."""
        before = [m for m in self.found if m.end <= head.i]
        same = [m for m in before if self.heads.get(id(m)) == _head_word(head.text)]
        if same:
            return same[-1]
        if head.text[:1].isupper() and before:
            return before[-1]
        return None

    def run(self) -> list[Mention]:
        doc = self.doc
        _, pattern = catalog()
        aliases: dict[int, tuple[int, int]] = {}
        for match in pattern.finditer(doc_text(doc)):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None and not any(_in_igo(t) for t in span):
                aliases.setdefault(span.start, (span.start, span.end))
        # Lower-cased words read in bulk: most tokens are neither an alias nor a head word, and
        # making a Token object of each costs more than the rest of the step.
        (lower,) = string_columns(doc, LOWER)
        i = 0
        while i < len(doc):
            if i not in aliases and lower[i] not in HEADS:
                i += 1
                continue
            tok = doc[i]
            if i in aliases:
                start, end = aliases[i]
                if doc[end - 1].lower_ in HEADS:  # "the Paris Agreement on Vietnam"
                    end = max(end, self.bounds(doc[end - 1])[1])
                year = self.year_before(start) or self.year_after(end)
                actor, year = self.named(doc[start:end].text, year)
                heads = [t.text for t in doc[start:end] if t.lower_ in HEADS] or [doc[end - 1].text]
                first = start - 1 if self.year_before(start) else start
                self.add(first, end, actor, year, _head_word(heads[-1]))
                i = end
                continue
            if tok.lower_ in HEADS and not _in_igo(tok):
                i = self.form_or_reference(tok)
                continue
            i += 1
        return self.found

    def form_or_reference(self, head: Token) -> int:
        """Handle a head word at ``head``; return the index to continue from."""
        doc = self.doc
        lo, hi = self.bounds(head)
        has_name = head.text[:1].isupper() and (lo < head.i or hi > head.i + 1)
        if has_name:
            year_before, year_after = self.year_before(lo), self.year_after(hi)
            actor, year = self.named(doc[lo:hi].text, year_before or year_after)
            self.add(lo - 1 if year_before else lo, hi, actor, year, _head_word(head.text))
            return hi
        left = doc[head.i - 1] if head.i > 0 else None
        if left is not None and left.lower_ in DETERMINERS:
            antecedent = self.resolve_reference(head)
            if antecedent is not None:
                text = doc[head.i - 1 : head.i + 1].text
                a = antecedent.actor
                actor = Actor(text, a.name, a.code, None, None, "treaty")
                self.add(head.i - 1, head.i + 1, actor, antecedent.year,
                         self.heads.get(id(antecedent), _head_word(head.text)))
        return head.i + 1


def find_treaties(doc: Doc) -> list[Mention]:
    """Every treaty mention of ``doc``, in text order, coreferences resolved."""
    return _Finder(doc).run()


def treaty_signed(code: str) -> str | None:
    """The catalogue's signature date (or year) of a treaty code, if it is catalogued."""
    by_alias, _ = catalog()
    for treaty in by_alias.values():
        if treaty.code == code:
            return treaty.signed or treaty.year
    return None
