"""The model's attribute ruler with the same output at a fraction of the cost.

spaCy's ``AttributeRuler`` runs every one of its patterns through the ``Matcher`` at every token.
In the English pipelines nearly all of them are short tests of exact values: the tag map
(``{"TAG": "NNS"}`` sets ``POS=NOUN``) and word exceptions (``{"LOWER": "gets", "TAG": "VBZ"}``).
That made the attribute ruler 12% of the whole parse. Here a pattern of fixed length whose tokens
test values (``TAG``, ``LOWER``, ``ORTH``, ``DEP``, ``IS_SPACE``, ``POS``, ``LEMMA`` equal to, in,
not in, or matching a regular expression) is looked up by the hashes of its first token's exact
values and its other tests are checked on the token's hashes; anything else (operators, other
attributes) still goes through a Matcher. The matches come out as the same sorted list that the
original ``match`` returns, and the original ``set_annotations`` applies them, so later rules keep
their precedence exactly as before (``tests/nlp/test_attribute_index.py`` compares the two).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc

FACTORY = "diurna_indexed_attribute_ruler"
# Token fields the index reads, in the column order of ``Doc.to_array``.
_FIELDS = ("TAG", "LOWER", "ORTH", "DEP", "IS_SPACE", "POS", "LEMMA")
_ATTR_IDS = (TAG, LOWER, ORTH, DEP, IS_SPACE, POS, LEMMA)
_COLUMN = {name: i for i, name in enumerate(_FIELDS)}

_CACHE_ROWS = 200_000  # distinct token rows remembered; cleared when full

Match = tuple[int, int, int, int]  # (rule number, rule key hash, start, end), as spaCy sorts them
# One test on one token: (offset in the pattern, column, kind, payload).
Test = tuple[int, int, str, Any]


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose ``match`` looks patterns up by hash instead of the Matcher."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._index: _PatternIndex | None = None

    def add(self, patterns: Iterable[Any], attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._index = None  # rebuilt on the next document

    def clear(self) -> None:
        super().clear()
        self._index = None

    def match(self, doc: Doc) -> list[Match]:
        if self._index is None:
            self._index = _PatternIndex(self)
        return self._index.match(doc)


class _Compiled:
    """One pattern of fixed length: where it starts is looked up, the rest is tested."""

    __slots__ = ("key_hash", "length", "number", "tests")

    def __init__(self, number: int, key_hash: int, length: int, tests: list[Test]) -> None:
        self.number, self.key_hash, self.length, self.tests = number, key_hash, length, tests


class _PatternIndex:
    """The ruler's patterns as hash tables over the first token, plus a residual Matcher."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.strings: StringStore = ruler.vocab.strings
        # columns of the first token's exact values -> their hashes -> patterns starting there
        self.tables: dict[tuple[int, ...], dict[tuple[int, ...], list[_Compiled]]] = (
            defaultdict(lambda: defaultdict(list)))
        self.residual = Matcher(ruler.vocab)
        self.residual_rules: dict[int, int] = {}  # residual Matcher key hash -> rule number
        self.needs_text = False  # a REGEX test reads the token's string
        for number, rule in enumerate(ruler.patterns):
            key_hash = self.strings.add(str(number))
            patterns: list[list[dict[str, Any]]] = list(rule["patterns"])  # type: ignore[arg-type]
            left = [p for p in patterns if not self._index_pattern(number, key_hash, p)]
            if left:
                self.residual.add(key_hash, left)
                self.residual_rules[key_hash] = number
        self.groups = [(columns, dict(table)) for columns, table in self.tables.items()]
        self.cache: dict[tuple[int, ...], tuple[list[tuple[int, int]], list[_Compiled]]] = {}

    def _index_pattern(self, number: int, key_hash: int, pattern: list[dict[str, Any]]) -> bool:
        tests: list[Test] = []
        for offset, spec in enumerate(pattern):
            if not isinstance(spec, dict) or not spec:
                return False
            for name, value in spec.items():
                test = self._test(offset, str(name).upper(), value)
                if test is None:
                    return False
                tests.append(test)
        exact = sorted((t for t in tests if t[0] == 0 and t[2] in ("eq", "in")),
                       key=lambda t: t[1])
        # No exact value on the first token (a REGEX, a NOT_IN): the pattern is a candidate at
        # every token, tested once per distinct token (see _starting_at).
        columns = tuple(t[1] for t in exact)
        keys: list[tuple[int, ...]] = [()]
        for _, _, kind, payload in exact:
            options = [payload] if kind == "eq" else sorted(payload)
            keys = [(*done, option) for done in keys for option in options]
        compiled = _Compiled(number, key_hash, len(pattern), [t for t in tests if t not in exact])
        for key in keys:
            self.tables[columns][key].append(compiled)
        return True

    def _test(self, offset: int, name: str, value: Any) -> Test | None:
        if name not in _COLUMN:
            return None
        column = _COLUMN[name]
        if name == "IS_SPACE":
            return (offset, column, "eq", int(value)) if isinstance(value, bool) else None
        if isinstance(value, str):
            return offset, column, "eq", self.strings.add(value)
        if not isinstance(value, dict) or len(value) != 1:
            return None
        (op, operand), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(operand, list) and all(
                isinstance(v, str) for v in operand):
            hashes = frozenset(self.strings.add(v) for v in operand)
            return offset, column, "in" if op == "IN" else "not_in", hashes
        if op == "REGEX" and isinstance(operand, str):
            self.needs_text = True
            return offset, column, "regex", re.compile(operand)
        return None

    def match(self, doc: Doc) -> list[Match]:
        found: set[Match] = set()
        n = len(doc)
        if self.groups and n:
            rows = [tuple(row) for row in doc.to_array(list(_ATTR_IDS)).tolist()]
            cache = self.cache
            for i, row in enumerate(rows):
                entry = cache.get(row)
                if entry is None:
                    entry = self._starting_at(row)
                    if len(cache) >= _CACHE_ROWS:
                        cache.clear()
                    cache[row] = entry
                singles, longer = entry
                for number, key_hash in singles:
                    found.add((number, key_hash, i, i + 1))
                for pattern in longer:
                    end = i + pattern.length
                    if end <= n and self._passes(pattern.tests, rows, i, first=False):
                        found.add((pattern.number, pattern.key_hash, i, end))
        if self.residual_rules:
            for key_hash, start, end in self.residual(doc, allow_missing=True):
                found.add((self.residual_rules[key_hash], key_hash, start, end))
        return sorted(found)

    def _starting_at(self, row: tuple[int, ...]) -> tuple[list[tuple[int, int]], list[_Compiled]]:
        """What a token with these values starts: one-token matches, and longer patterns whose
        first token fits (the rest is tested on the following tokens). Depends on the values
        only, so it is cached: news repeats the same words with the same tags."""
        singles: list[tuple[int, int]] = []
        longer: list[_Compiled] = []
        for columns, table in self.groups:
            for pattern in table.get(tuple(row[c] for c in columns), ()):
                if not self._passes(pattern.tests, [row], 0, first=True):
                    continue
                if pattern.length == 1:
                    singles.append((pattern.number, pattern.key_hash))
                else:
                    longer.append(pattern)
        return singles, longer

    def _passes(self, tests: list[Test], rows: list[tuple[int, ...]], start: int,
                first: bool) -> bool:
        """Whether the tests on the first token (``first``) or on the others pass."""
        for offset, column, kind, payload in tests:
            if (offset == 0) != first:
                continue
            value = rows[start + offset][column]
            if kind == "eq":
                if value != payload:
                    return False
            elif kind == "in":
                if value not in payload:
                    return False
            elif kind == "not_in":
                if value in payload:
                    return False
            elif payload.search(self.strings[value] if value else "") is None:
                return False
        return True


@Language.factory(FACTORY, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str,
                                 validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language) -> None:
    """Replace the pipeline's ``attribute_ruler`` by an indexed one with the same patterns."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    old = nlp.get_pipe("attribute_ruler")
    if type(old) is not AttributeRuler:  # already indexed, or a component of another kind
        return
    patterns = old.patterns
    new = nlp.replace_pipe("attribute_ruler", FACTORY, config={"validate": old.validate})
    assert isinstance(new, IndexedAttributeRuler)
    new.add_patterns(patterns)
