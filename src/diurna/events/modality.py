"""Modality of an event trigger: asserted, negated, future or hypothetical.

The modality is read from the dependency parse around the trigger token:

* **negated** -- a ``neg`` child of the trigger or of the verbs it depends on through ``xcomp``
  ("does not recognise", "did not agree to meet", "never"), a negative determiner on a trigger noun
  ("no recognition", "no agreement"), a negative governing verb with the trigger as its complement
  ("refused to meet", "denied that it attacked"), or ``without`` ("without recognising").
  "not only ... but also" is not a negation.
* **future** -- ``will``/``shall``/``'ll``, "be going to", "be set to", "be ready to", a governing
  verb of intention or commitment ("plan to", "promise to", "pledge to"), an adverbial of time to
  come ("in the coming hours", "next week", "tomorrow"), or ``would`` inside a clause reported by a
  past-tense verb ("promised that the CSTO would protect them").
* **hypothetical** -- a modal (``could``, ``might``, ``may``, ``would``, ``should``), a
  conditional clause (``if``/``unless``) or the main clause that depends on one ("the EU will
  impose sanctions if Russia attacks"), or the complement of a demand or wish ("urged the EU to
  support", "demanded that the US cancel").

Precedence: a condition or a demand makes the event hypothetical whatever else it says; otherwise
negation wins over the modals ("could not agree" is negated), modals over future markers.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from diurna.events.patterns import lemma_of

ASSERTED = "asserted"
NEGATED = "negated"
FUTURE = "future"
HYPOTHETICAL = "hypothetical"
MODALITIES = (ASSERTED, NEGATED, FUTURE, HYPOTHETICAL)

# Auxiliaries that put the event in the future.
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
# Modals that make the event possible, not asserted (``would`` only outside reported speech).
HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "would", "should", "must", "ought"})
# Verbs whose complement has not happened (or no longer happens): "refused to meet" is a negated
# meeting, "stopped supplying gas" a negated supply.
NEGATIVE_GOVERNORS = frozenset({"refuse", "decline", "reject", "deny", "fail", "avoid", "stop"})
# Verbs whose ``xcomp`` complement is an intention or commitment: "plan to meet" is future.
FUTURE_GOVERNORS = frozenset(
    {
        "plan", "intend", "expect", "promise", "pledge", "vow", "agree", "decide", "prepare",
        "aim", "threaten", "offer", "hope", "seek", "schedule", "commit", "swear",
    }
)
# Verbs and nouns of demand or wish: what they ask for has not happened ("urged the EU to
# support", "demanded that the US cancel", "its demand that Israel ease restrictions").
HYPOTHETICAL_GOVERNORS = frozenset(
    {
        "demand", "urge", "ask", "call", "request", "appeal", "press", "want", "wish",
        "encourage", "invite", "suggest", "recommend", "insist", "order", "advise", "propose",
    }
)
# Adjectives or participles of readiness: "be ready to", "be set to", "be due to".
FUTURE_PREDICATES = frozenset({"ready", "set", "due", "poised", "about", "willing", "going"})
# Conditional subordinators.
CONDITIONAL_MARKS = frozenset({"if", "unless"})
# Determiners that negate a noun: "no recognition", "neither side".
NEGATIVE_DETERMINERS = frozenset({"no", "neither", "nor"})
# Modifiers of a time noun that place it in the future: "in the coming hours", "next week".
FUTURE_TIME_MODIFIERS = frozenset({"coming", "next", "following", "upcoming"})
FUTURE_TIME_WORDS = frozenset({"tomorrow"})
# Support verbs: their object noun is the event and their subject its source ("launched an
# attack", "made a request"); a noun trigger takes their tense, modals and negation.
SUPPORT_VERBS = frozenset(
    {
        "launch", "carry", "conduct", "stage", "hold", "make", "issue", "mount", "begin", "start",
        "continue", "lodge", "file", "submit", "step", "intensify", "resume", "announce", "order",
    }
)
# Dependency relations along which a complement inherits its governor's modality.
_CHAIN_DEPS = frozenset({"xcomp"})


def _is_neg(token: Token) -> bool:
    """A negation particle that is not the "not only" of "not only ... but also"."""
    if token.dep_ != "neg":
        return False
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return not (nxt is not None and nxt.lower_ == "only")


def _has_neg(token: Token) -> bool:
    return any(_is_neg(c) for c in token.children)


def _shares_governor(token: Token) -> bool:
    """A conjoined bare verb shares the auxiliaries of its head ("will meet and sign")."""
    return (
        token.dep_ == "conj"
        and token.tag_ in ("VB", "VBN")
        and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in token.children)
    )


def _purpose(token: Token) -> bool:
    """A to-infinitive purpose clause: "will meet in Zurich *to discuss* ..."."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in token.children
    ) and not any(c.dep_ in ("nsubj", "mark") for c in token.children)


def _verb_chain(trigger: Token) -> list[Token]:
    """The trigger and the verbs whose auxiliaries and negation apply to it."""
    chain = [trigger]
    tok = trigger
    while tok.head.i != tok.i and (
        tok.dep_ in _CHAIN_DEPS or _shares_governor(tok) or _purpose(tok)
    ):
        tok = tok.head
        chain.append(tok)
    return chain


def _clause_of_noun(noun: Token) -> Token | None:
    """The copula or support verb of a noun ("there is no recognition", "launched an attack")."""
    if noun.dep_ in ("attr", "nsubj", "acomp") and noun.head.lemma_ == "be":
        return noun.head
    if noun.dep_ == "dobj" and lemma_of(noun.head) in SUPPORT_VERBS:
        return noun.head
    return None


def _is_condition(clause: Token) -> bool:
    return clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in clause.children
    )


def _conditional(chain: list[Token]) -> bool:
    """Inside an ``if``/``unless`` clause, or the main clause of one ("will act if ...")."""
    if any(_is_condition(c) for tok in chain for c in tok.children):
        return True
    for tok in [*chain, *chain[-1].ancestors]:
        if _is_condition(tok):
            return True
        if tok.dep_ in ("ccomp", "ROOT"):
            break
    return False


def _demanded(chain: list[Token]) -> bool:
    """The trigger is what someone demands, urges or wishes."""
    if any(tok.lemma_.lower() in HYPOTHETICAL_GOVERNORS for tok in chain[1:]):
        return True
    top = chain[-1]
    return top.dep_ in ("ccomp", "acl") and top.head.lemma_.lower() in HYPOTHETICAL_GOVERNORS


def _negated(trigger: Token, chain: list[Token]) -> bool:
    negations = 0
    if trigger.pos_ in ("NOUN", "PROPN"):
        if any(c.dep_ == "det" and c.lower_ in NEGATIVE_DETERMINERS for c in trigger.children):
            negations += 1
        if trigger.dep_ == "pobj" and trigger.head.lower_ == "without":
            negations += 1
    for tok in chain:
        if _has_neg(tok):
            negations += 1
        if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
            negations += 1
        head = tok.head
        if tok.dep_ in ("xcomp", "ccomp") and head.lemma_.lower() in NEGATIVE_GOVERNORS:
            negations += 1
    # "did not refuse to meet" cancels out; any odd count of negations is a negation.
    return negations % 2 == 1


def _reported(tok: Token) -> bool:
    """``tok`` heads a clause reported by a past-tense verb ("promised that X would ...")."""
    return tok.dep_ == "ccomp" and tok.head.tag_ in ("VBD", "VBN")


def _future_time(chain: list[Token]) -> bool:
    for tok in chain:
        for child in tok.children:
            if child.lower_ in FUTURE_TIME_WORDS:
                return True
            if child.dep_ == "npadvmod" and any(
                g.lower_ in FUTURE_TIME_MODIFIERS for g in child.children
            ):
                return True
            if child.dep_ == "prep" and child.lower_ in ("in", "within", "over"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and any(
                        g.lower_ in FUTURE_TIME_MODIFIERS for g in pobj.children
                    ):
                        return True
    return False


def _chain_of(trigger: Token) -> list[Token]:
    chain = _verb_chain(trigger)
    if trigger.pos_ in ("NOUN", "PROPN"):
        clause = _clause_of_noun(trigger)
        if clause is not None:
            chain = [trigger, *_verb_chain(clause)]
    return chain


def is_negated(trigger: Token) -> bool:
    """The polarity of the trigger: True when its act is denied, refused or said not to happen.

    Unlike :func:`modality_of`, a negation inside a condition or a demand counts ("demanded that
    its partners *refuse to recognise*" is a hypothetical non-recognition).
    """
    return _negated(trigger, _chain_of(trigger))


def modality_of(trigger: Token, doc: Doc | None = None) -> str:
    """The modality of the event whose trigger is ``trigger``: one of :data:`MODALITIES`.

    ``doc`` is accepted for symmetry with the pattern matcher; the token carries its Doc.
    """
    chain = _chain_of(trigger)
    if _conditional(chain) or _demanded(chain):
        return HYPOTHETICAL
    if _negated(trigger, chain):
        return NEGATED
    future = False
    for tok in chain:
        for child in tok.children:
            if child.dep_ not in ("aux", "auxpass"):
                continue
            word = child.lower_
            if word in FUTURE_AUX or (word == "would" and _reported(tok)):
                future = True
            elif word in HYPOTHETICAL_AUX:
                return HYPOTHETICAL
        if tok is not trigger and tok.lemma_.lower() in FUTURE_GOVERNORS:
            future = True
        if tok is not trigger and tok.lower_ in FUTURE_PREDICATES:
            future = True  # "is going to visit", "is set to meet"
        head = tok.head
        if tok.dep_ == "xcomp" and head.dep_ == "acomp" and head.lower_ in FUTURE_PREDICATES:
            future = True  # "is ready to meet": the complement hangs on the adjective
    if future or _future_time(chain):
        return FUTURE
    return ASSERTED
