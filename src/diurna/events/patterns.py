"""Verb and noun patterns: which CAMEO code a trigger token expresses.

The patterns are data (``data/verb_patterns.jsonl``, one JSON object a line, the ``_meta`` line
describing the fields). Each pattern names a lemma and part of speech and may add constraints:

* ``particle`` -- a phrasal-verb particle (a ``prt`` child, an adverb or preposition child with
  that text and no object of its own, or such a preposition right after the verb): "give *up*";
* ``prep`` -- a preposition attached to the trigger (dep ``prep``/``agent``/``dative``): "call
  *for*"; also accepted on the particle ("pull out *of*"), on a verb's direct object ("deployed
  troops *in* X") or on a noun's *of* object; never one whose object is a date or time;
* ``object`` -- lemmas or phrases, one of which must occur in the object phrase (a verb's direct
  object, passive subject or attribute -- the complement's when ``xcomp`` is set; for a noun,
  the noun's own phrase); relative and other clauses inside the phrase do not count;
* ``xcomp`` -- lemmas of a clausal complement (dep ``xcomp``/``ccomp``, or an ``advcl``
  to-infinitive): "agree to *meet*";
* ``prep_object`` -- lemmas or phrases that must occur in the ``prep``'s object: "call for
  *talks*".

A pattern matches only if all its constraints hold. Its *specificity* is the number of
constraints it has. The winner is the most specific match, then the one with the longer matched
object phrase, then the longer (more specific) CAMEO code, then the first in file order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from spacy.tokens import Doc, Token

from diurna.events.phrases import Scope, phrase_words, variants

DATA_PACKAGE = "diurna.events.data"
PATTERNS_FILE = "verb_patterns.jsonl"

TARGET_KINDS = ("dobj", "prep", "iobj", "none", "auto")
# Dependency labels under which a verb's object phrase is found (active, passive, copular).
_OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative"})
_PREP_DEPS = frozenset({"prep", "agent", "dative"})
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp"})
# Secondary predicates that belong to the object: "held Spain responsible", "shot him dead".
_PREDICATE_DEPS = frozenset({"acomp", "oprd", "advcl", "ccomp"})
# Clauses inside a phrase that are not part of it for the object constraint.
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """One line of ``verb_patterns.jsonl``."""

    id: str
    cameo: str
    pos: str  # VERB | NOUN
    lemma: str
    particle: str | None = None
    prep: str | None = None
    object: tuple[str, ...] = ()
    xcomp: tuple[str, ...] = ()
    prep_object: tuple[str, ...] = ()
    target: str = "auto"
    speech_source: bool = False
    example: str | None = None
    order: int = 0

    @property
    def constraints(self) -> int:
        """How many constraints the pattern has (particle, prep, object, xcomp, prep_object)."""
        return sum(
            bool(c) for c in (self.particle, self.prep, self.object, self.xcomp, self.prep_object)
        )


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A pattern that matches a token, with the tokens that satisfied its constraints."""

    pattern: Pattern
    specificity: int
    prep: Token | None = None  # the preposition token that satisfied ``prep``
    complement: Token | None = None  # the complement verb that satisfied ``xcomp``
    object_words: int = 0  # length in words of the longest object phrase matched


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.lower(),)
    return tuple(str(v).lower() for v in value)


def parse_pattern(record: dict[str, Any], order: int = 0) -> Pattern:
    """A :class:`Pattern` from one JSON record of the patterns file."""
    target = record.get("target") or "auto"
    if target not in TARGET_KINDS:
        raise ValueError(f"pattern {record.get('id')!r}: unknown target {target!r}")
    return Pattern(
        id=str(record["id"]),
        cameo=str(record["cameo"]),
        pos=str(record.get("pos", "VERB")).upper(),
        lemma=str(record["lemma"]).lower(),
        particle=(record.get("particle") or None) and str(record["particle"]).lower(),
        prep=(record.get("prep") or None) and str(record["prep"]).lower(),
        object=_tuple(record.get("object")),
        xcomp=_tuple(record.get("xcomp")),
        prep_object=_tuple(record.get("prep_object")),
        target=target,
        speech_source=bool(record.get("speech_source", False)),
        example=record.get("example"),
        order=order,
    )


def parse_lines(lines: Iterable[str]) -> list[Pattern]:
    """Patterns from JSONL lines, in file order; blank and ``_meta`` lines are skipped."""
    out: list[Pattern] = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        record = json.loads(line)
        if "_meta" in record:
            continue
        try:
            out.append(parse_pattern(record, order=len(out)))
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{PATTERNS_FILE} line {number}: bad pattern: {exc}") from exc
    return out


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    text = resources.files(DATA_PACKAGE).joinpath(PATTERNS_FILE).read_text(encoding="utf-8")
    return tuple(text.splitlines())


@lru_cache(maxsize=1)
def load_patterns() -> tuple[Pattern, ...]:
    """Every pattern of the packaged data file, in file order (read once per process)."""
    return tuple(parse_lines(_lines()))


@lru_cache(maxsize=1)
def lemma_fixes() -> dict[str, str]:
    """Word forms the model lemmatises wrongly, with their lemma (``_meta.lemma_fixes``)."""
    for line in _lines():
        if line.strip():
            fixes: dict[str, str] = json.loads(line).get("_meta", {}).get("lemma_fixes", {})
            return fixes
    return {}


def lemma_of(token: Token) -> str:
    """The token's lower-cased lemma, corrected by :func:`lemma_fixes` ("staged" -> "stage")."""
    return lemma_fixes().get(token.lower_, token.lemma_.lower())


Index = dict[tuple[str, str], tuple[Pattern, ...]]


def build_index(patterns: Iterable[Pattern]) -> Index:
    """Patterns by ``(pos, lemma)``; multi-word lemmas are indexed under their last word."""
    index: dict[tuple[str, str], list[Pattern]] = {}
    for p in patterns:
        index.setdefault((p.pos, p.lemma.split()[-1]), []).append(p)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def pattern_index() -> Index:
    """The index of the packaged patterns (built once per process)."""
    return build_index(load_patterns())


def spelling_variants(lemma: str) -> list[str]:
    """``lemma`` in the other spelling ("recognise" -> "recognize", "organization" -> ...)."""
    return list(variants(lemma))


def _pos_of(token: Token) -> str | None:
    """VERB or NOUN; a capitalised noun outside any entity ("Recognition" in a headline) is one."""
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        return "VERB"
    if token.pos_ == "ADJ" and any(c.dep_ == "dobj" for c in token.children):
        return "VERB"  # a participle mis-tagged as an adjective: "and annexed Crimea"
    if token.pos_ in ("ADJ", "PROPN") and token.lower_ in lemma_fixes():
        return "VERB"  # a verb form the model mis-tags: "agitated", "rang"
    if token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.ent_type_ == ""):
        return "NOUN"
    return None


def candidates(token: Token, index: Index | None = None) -> tuple[Pattern, ...]:
    """Patterns whose part of speech and lemma fit ``token`` (spelling variants included)."""
    pos = _pos_of(token)
    if pos is None:
        return ()
    if index is None:
        index = pattern_index()
    lemma = token.lemma_.lower()
    forms = [lemma_fixes().get(token.lower_, lemma), lemma, token.lower_]
    if pos == "VERB" and lemma == token.lower_ and lemma.endswith("ed"):
        forms += [lemma[:-2], lemma[:-1]]  # a past form the lemmatiser left alone
    for form in forms:
        for variant in (form, *variants(form)):
            found = index.get((pos, variant))
            if found:
                return found
    return ()


# Per index: the index, its lemmas, and which (lemma, lower-cased text) pairs can have candidates.
_SCREENS: dict[int, tuple[Index, frozenset[str], dict[tuple[str, str], bool]]] = {}
_SCREEN_SIZE = 200_000  # pairs remembered per index, then forgotten (a bound on memory)


def could_match(lemma: str, lower: str, index: Index | None = None) -> bool:
    """False when no pattern of ``index`` can be a candidate for a token with this lemma and
    lower-cased text, whatever its part of speech: a cheap test that spares most tokens
    :func:`candidates` (the forms tried here include every form it tries)."""
    if index is None:
        index = pattern_index()
    entry = _SCREENS.get(id(index))
    if entry is None or entry[0] is not index:
        if len(_SCREENS) >= 16:  # indexes made on the fly (tests): keep only a few
            _SCREENS.clear()
        entry = _SCREENS[id(index)] = (index, frozenset(lemma for _, lemma in index), {})
    _, known, seen = entry
    found = seen.get((lemma, lower))
    if found is None:
        if len(seen) >= _SCREEN_SIZE:
            seen.clear()
        low = lemma.lower()
        forms = (lemma_fixes().get(lower, low), low, lower, low[:-2], low[:-1])
        found = seen[(lemma, lower)] = any(
            v in known for form in forms for v in (form, *variants(form))
        )
    return found


def _words_match(tokens: list[Token], phrase: str) -> bool:
    """``phrase`` (one or more words) occurs in ``tokens`` by lower-cased text or lemma."""
    return Scope(tokens).has(phrase)


def _lemma_prefix_ok(token: Token, pattern: Pattern) -> bool:
    """For a multi-word lemma ("state of emergency", "cease fire"), the words before the trigger."""
    words = pattern.lemma.split()
    if len(words) == 1:
        return True
    start = token.i - len(words) + 1
    if start < token.sent.start:
        return False
    window = list(token.doc[start : token.i + 1])
    return _words_match(window, pattern.lemma)


def _temporal(prep: Token) -> bool:
    """A preposition whose object is a date or time ("agreed *on* Wednesday") is no argument."""
    return any(
        c.dep_ == "pobj" and all(
            t.ent_type_ in ("DATE", "TIME") or t.is_punct or t.pos_ == "DET" for t in c.subtree
        )
        for c in prep.children
    )


def _find_preps(token: Token, prep: str) -> list[Token]:
    """Preposition children of ``token`` spelling ``prep`` (multi-word: the following words)."""
    words = prep.split()
    return [
        child for child in token.children
        if child.dep_ in _PREP_DEPS and child.lower_ == words[0] and not _temporal(child)
        and [t.lower_ for t in token.doc[child.i : child.i + len(words)]] == words
    ]


def _particle(token: Token, particle: str) -> Token | None:
    """The particle child spelled ``particle``: a ``prt``, or an adverb or preposition.

    A preposition right after the verb is accepted even with an object of its own ("voted *down*
    the plan": a particle the parser read as a preposition); its object then counts as the verb's
    object. "gave food *up* the hill" has no particle.
    """
    for child in token.children:
        if child.lower_ != particle:
            continue
        if child.dep_ == "prt" or (child.dep_ == "advmod" and not list(child.children)):
            return child
        if child.dep_ == "prep" and (child.i == token.i + 1 or not list(child.children)):
            return child  # right after the verb: "turned down the plea", "pulled out of"
    return None


def _complement(token: Token, lemmas: tuple[str, ...],
                clauses: list[tuple[Token, tuple[str, ...]]] | None = None) -> Token | None:
    """A clausal complement (or to-infinitive purpose clause) of ``token`` with a listed lemma.

    ``clauses``: :func:`_clauses` of ``token``, when already known."""
    for child, forms in _clauses(token) if clauses is None else clauses:
        if any(v in lemmas for v in forms):
            return child
    return None


def _clauses(token: Token) -> list[tuple[Token, tuple[str, ...]]]:
    """The children of ``token`` that can be its complement, with their lemma's spellings."""
    out = []
    for child in token.children:
        if child.dep_ in _COMPLEMENT_DEPS or (child.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children)):
            lemma = child.lemma_.lower()
            out.append((child, (lemma, *variants(lemma))))
    return out


def _phrase(head: Token) -> list[Token]:
    """The tokens of the phrase headed by ``head``, without its clauses (relative, adverbial...)."""
    out = [head]
    for child in head.children:
        if child.dep_ not in _CLAUSE_DEPS:
            out.extend(_phrase(child))
    return out


def _object_phrase(verb: Token, particle: Token | None = None) -> list[Token]:
    """A verb's object phrase, with secondary predicates ("held Spain *responsible*")."""
    heads = [c for c in verb.children if c.dep_ in _OBJECT_DEPS or (
        c.dep_ in _PREDICATE_DEPS and c.pos_ in ("ADJ", "NOUN"))]
    if particle is not None:
        heads += [c for c in particle.children if c.dep_ == "pobj"]
    return sorted({t for h in heads for t in _phrase(h)}, key=lambda t: t.i)


def _prep_phrase(prep: Token) -> list[Token]:
    pobjs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return sorted({t for h in pobjs for t in _phrase(h)}, key=lambda t: t.i)


T = TypeVar("T")


class _Memo:
    """What the candidate patterns of one trigger token share (a lemma such as "say" has
    dozens): each particle, preposition and complement lookup and each object scope is done
    once per token, not once per pattern."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[tuple[Any, ...], Any] = {}

    def get(self, key: tuple[Any, ...], compute: Callable[..., T], *args: Any) -> T:
        """The value under ``key``, computed as ``compute(*args)`` the first time."""
        values = self.values
        if key in values:
            found: T = values[key]
            return found
        value = values[key] = compute(*args)
        return value


def _scope_of(tokens: Callable[..., list[Token]], *args: Any) -> Scope:
    return Scope(sorted(tokens(*args), key=_position))


def _position(token: Token) -> int:
    return token.i


def _subtree(token: Token) -> list[Token]:
    return list(token.subtree)


def _prep_scope(memo: _Memo, prep: Token) -> Scope:
    return memo.get(("prep scope", prep.i), _scope_of, _prep_phrase, prep)


def _preps(token: Token, particle: Token | None, pos: str, prep: str) -> list[Token]:
    """The prepositions spelled ``prep`` that may satisfy a pattern's ``prep`` constraint."""
    # on the trigger; on a particle ("pulled out *of*"); on a verb's object ("troops *in*")
    heads = [token] + ([particle] if particle is not None else [])
    if pos == "VERB":
        heads += [c for c in token.children if c.dep_ in _OBJECT_DEPS]
    else:  # "the deployment of troops *in* Kyrgyzstan"
        heads += [o for c in token.children if c.lower_ == "of" for o in c.children]
    found = [p for h in heads for p in _find_preps(h, prep)]
    # a fronted adverbial ("*In* response to ...") is the last choice
    return sorted(found, key=lambda p: p.i < token.i)


def _match_one(token: Token, pattern: Pattern, memo: _Memo | None = None) -> PatternMatch | None:
    if memo is None:
        memo = _Memo()
    if len(phrase_words(pattern.lemma)) > 1 and not _lemma_prefix_ok(token, pattern):
        return None  # (a one-word lemma has no words before the trigger to check)
    particle: Token | None = None
    if pattern.particle:
        particle = memo.get(("particle", pattern.particle), _particle, token, pattern.particle)
        if particle is None:
            return None
    prep_tok: Token | None = None
    if pattern.prep:
        preps = memo.get(("preps", pattern.pos, particle.i if particle is not None else -1,
                          pattern.prep), _preps, token, particle, pattern.pos, pattern.prep)
        if pattern.prep_object:
            preps = [p for p in preps if _prep_scope(memo, p).longest(pattern.prep_object)]
        if not preps:
            return None
        prep_tok = preps[0]
    complement: Token | None = None
    if pattern.xcomp:
        clauses = memo.get(("clauses",), _clauses, token)
        complement = memo.get(("xcomp", pattern.xcomp), _complement, token, pattern.xcomp,
                              clauses)
        if complement is None:
            return None
    object_words = 0
    if pattern.object:
        if pattern.pos == "NOUN":  # the noun's whole subtree ("protests demanding reform")
            scope = memo.get(("subtree", token.i), _scope_of, _subtree, token)
        elif complement is not None:  # the complement's object when xcomp is set
            scope = memo.get(("object", complement.i, -1), _scope_of, _object_phrase, complement)
        else:
            scope = memo.get(("object", token.i, particle.i if particle is not None else -1),
                             _scope_of, _object_phrase, token, particle)
        object_words = scope.longest(pattern.object)
        if not object_words:
            return None
    if pattern.prep_object and prep_tok is not None:
        object_words = max(object_words, _prep_scope(memo, prep_tok).longest(pattern.prep_object))
    return PatternMatch(pattern, pattern.constraints, prep_tok, complement, object_words)


def match_details(token: Token, doc: Doc | None = None, *,
                  index: Index | None = None) -> list[PatternMatch]:
    """Every pattern that matches ``token``, most specific first, then in file order.

    ``index`` (from :func:`build_index`) replaces the packaged patterns, e.g. in tests.
    """
    memo = _Memo()
    found = [m for p in candidates(token, index) if (m := _match_one(token, p, memo)) is not None]
    found.sort(key=lambda m: (-m.specificity, -m.object_words, -len(m.pattern.cameo),
                              m.pattern.order))
    return found


def match(token: Token, doc: Doc | None = None, *,
          index: Index | None = None) -> list[tuple[Pattern, int]]:
    """``(pattern, specificity)`` for every pattern matching ``token``; the best comes first."""
    return [(m.pattern, m.specificity) for m in match_details(token, doc, index=index)]


def best_match(token: Token, doc: Doc | None = None, *,
               index: Index | None = None) -> PatternMatch | None:
    """The winning pattern for ``token``, or None."""
    found = match_details(token, doc, index=index)
    return found[0] if found else None
