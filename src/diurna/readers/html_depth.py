"""How deep an HTML page nests, and the page folded to a bounded depth, by a streaming tokenizer.

The stdlib tokenizer has no depth limit, unlike libxml2 (see :mod:`diurna.readers.deep_html`).
It follows the open elements with libxml2's main tree-building rules, measured on lxml 6.2
(libxml2 2.14): void and self-closed (``<div/>``) elements hold nothing; a start tag closes the
innermost element while that one is in its :data:`_CLOSES` entry (``<p>`` closes an open
``<p>`` or ``<b>``, ``<li>`` an ``<li>``, ``<td>`` a ``<td>`` or ``<span>``...); an end tag
closes down to the innermost element of its name unless an element of higher priority
(:data:`_END_PRIORITY`) is open above it, and is ignored then (``<b><div></b>`` nests);
``<title>``, ``<textarea>``, ``<iframe>`` and ``<xmp>`` hold text, as ``<script>`` and
``<style>`` do. The rest of HTML's rules are not modelled: the depth is an estimate.

Folding keeps every character of text and edits only tags:

- in a chain of elements that each open with another element (only whitespace between the
  start tags), an element past the first :data:`CHAIN_KEPT` that repeats the name of one of
  its :data:`PERIOD` nearest ancestors (``<div><div>``, ``<div><span><div><span>``: the
  wrappers of generated pages and broken templates) is dissolved: its start and end tags are
  removed, its content stays in place. The run of wrappers then no longer uses up the depth,
  and the content inside it (an ``<article>`` opening with its ``<h1>``) keeps its structure;
- an element that would still open past ``fold_at`` levels first closes the innermost one (an
  end tag is inserted), so it becomes a sibling instead of a child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Wrappers kept at the start of a chain: a page's own markup chains a handful (body > div > main
# > article > header > h1), only a generator chains them by the hundred.
CHAIN_KEPT = 32
# A repeated wrapper is a run of at most this many elements (``<div><span>`` is 2).
PERIOD = 4

_VOID = frozenset({
    "area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
})
_TEXT_CONTENT = frozenset({"title", "textarea", "iframe", "xmp"})  # besides script and style


def _closes(table: dict[str, str]) -> dict[str, frozenset[str]]:
    return {new: frozenset(old.split()) for news, old in table.items() for new in news.split()}


# Start tag -> the innermost elements it closes (libxml2's htmlStartClose, as measured).
_CLOSES = _closes({
    "a": "a",
    "address menu pre": "p ul",
    "blockquote caption dir div frameset h1 h2 h3 h4 h5 h6 listing ol xmp": "p",
    "center": "b font i p",
    "colgroup": "caption colgroup p",
    "dd dl": "address dir dt listing menu p pre",
    "dt": "address dd dir listing menu p pre",
    "fieldset": "a h1 h2 h3 h4 h5 h6 legend listing p pre",
    "form": "address dir dl form h1 h2 h3 h4 h5 h6 listing menu ol p pre ul",
    "li": "address dl h1 h2 h3 h4 h5 h6 li listing p pre",
    "optgroup option": "option",
    "p": "b big h1 h2 h3 h4 h5 h6 i p s small strike tt u",
    "table": "a h1 h2 h3 h4 h5 h6 listing p pre",
    "tbody": "caption colgroup p tbody td tfoot th thead tr",
    "tfoot": "caption colgroup p tbody td th thead tr",
    "td th": "a b font i p span td th u",
    "thead": "caption colgroup",
    "tr": "caption colgroup p td th tr",
    "ul": "address dir listing menu p pre",
})
# An end tag does not close an element of higher priority than its own (libxml2's
# htmlEndPriority); any other element has priority 100.
_END_PRIORITY = {
    "div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180,
    "table": 190, "head": 200, "body": 200, "html": 220,
}
_LEVELS = sorted({100, *_END_PRIORITY.values()})


def nesting_depth(html: str) -> int | None:
    """How many levels the page's elements nest; None if the tokenizer fails."""
    scanner = _Scanner(html, fold_at=None)
    return scanner.deepest if _scan(scanner) else None


def fold(html: str, fold_at: int) -> str | None:
    """``html`` with its tags edited so that no element nests more than about ``fold_at``
    levels deep; None if there is nothing to fold (or the tokenizer fails)."""
    scanner = _Scanner(html, fold_at=fold_at)
    if not _scan(scanner) or not scanner.edits:
        return None
    pieces, done = [], 0
    for start, end, replacement in scanner.edits:  # in source order, not overlapping
        pieces += [html[done:start], replacement]
        done = end
    pieces.append(html[done:])
    return "".join(pieces)


def _scan(scanner: _Scanner) -> bool:
    try:
        scanner.feed(scanner.source)
        scanner.close()
    except Exception:  # the stdlib tokenizer has raised on odd markup in some Python versions
        return False
    return True


@dataclass(slots=True)
class _Open:
    name: str
    start: int  # where its start tag begins and ends in the source
    end: int
    chain: int  # its place in a chain of elements that each open with the next, from 1
    dissolved: bool = False  # its tags are removed by the fold


class _Scanner(HTMLParser):
    def __init__(self, source: str, fold_at: int | None) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.fold_at = fold_at
        self.open: list[_Open] = []
        self.depth = 0  # the open elements that are not dissolved
        self.deepest = 0
        # Where in ``open`` the elements of each name are, and those of priority above each
        # level: an end tag then finds its element and what shields it without a search.
        self.by_name: dict[str, list[int]] = {}
        self.above: dict[int, list[int]] = {level: [] for level in _LEVELS}
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the source
        self._line_starts: list[int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_startendtag(tag, attrs)
            return
        if tag in _TEXT_CONTENT:
            self.set_cdata_mode(tag)
        closes = _CLOSES.get(tag, frozenset())
        while self.open and self.open[-1].name in closes:
            self._pop()
        at, chain = 0, 1
        if self.fold_at is not None:
            at = self._offset()
            top = self.open[-1] if self.open else None
            if top is not None and not self.source[top.end:at].strip():
                chain = top.chain + 1
                if top.chain > CHAIN_KEPT and not top.dissolved and self._repeats(top):
                    self.edits.append((top.start, top.end, ""))
                    top.dissolved = True
                    self.depth -= 1
            if top is not None and not top.dissolved and self.depth >= self.fold_at:
                self.edits.append((at, at, f"</{top.name}>"))
                self._pop()
                chain = 1
        self._push(_Open(tag, at, at + len(self.get_starttag_text() or ""), chain))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<div/>``, and a void element: libxml2 closes it at once, so nothing nests in it."""
        self.deepest = max(self.deepest, self.depth + 1)

    def handle_endtag(self, tag: str) -> None:
        where = self.by_name.get(tag)
        if not where:
            return  # no such element is open: ignored
        shields = self.above[_END_PRIORITY.get(tag, 100)]
        if shields and shields[-1] > where[-1]:
            return  # an element of higher priority is open inside it: ignored
        inside: list[str] = []  # the elements that this end tag closes implicitly
        while len(self.open) - 1 > where[-1]:
            closed = self._pop()
            if not closed.dissolved:
                inside.append(closed.name)
        if self._pop().dissolved:
            # Its end tag goes too (it would close an element kept), but not what it closes.
            at = self._offset()
            end = self.source.index(">", at + 1) + 1  # where the tokenizer ends an end tag too
            self.edits.append((at, end, "".join(f"</{name}>" for name in inside)))

    def _repeats(self, element: _Open) -> bool:
        """Whether the innermost open ``element`` repeats one of its nearest ancestors."""
        ancestors = self.open[-PERIOD - 1:-1]
        return any(ancestor.name == element.name for ancestor in ancestors)

    def _push(self, element: _Open) -> None:
        index = len(self.open)
        self.open.append(element)
        self.by_name.setdefault(element.name, []).append(index)
        priority = _END_PRIORITY.get(element.name, 100)
        for level in _LEVELS:
            if level < priority:
                self.above[level].append(index)
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)

    def _pop(self) -> _Open:
        element = self.open.pop()
        self.by_name[element.name].pop()
        priority = _END_PRIORITY.get(element.name, 100)
        for level in _LEVELS:
            if level < priority:
                self.above[level].pop()
        if not element.dissolved:
            self.depth -= 1
        return element

    def _offset(self) -> int:
        """Where the tag being handled starts in the source (``getpos`` gives line, column)."""
        if self._line_starts is None:  # only a page that needs folding pays for this
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.source))]
        line, column = self.getpos()
        return self._line_starts[line - 1] + column
