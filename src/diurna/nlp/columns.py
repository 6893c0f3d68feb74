"""Token attributes and the text of a whole Doc, read in bulk and once per Doc.

Reading ``token.lemma_`` makes a Token object and decodes a string each time, ``Doc.text`` joins
every token each time it is read, and the analysis steps read a few attributes of every token
and the text several times over: they read them here instead. ``Doc.to_array`` gives the
attributes' hashes, one process-wide table turns hashes into strings (spaCy's string hash is a
function of the string alone, so the table holds for every Doc and vocabulary), and each column
is kept in the Doc's ``user_data`` for the next step. The lists returned are shared: read them,
never change them.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc

_STRINGS: dict[int, str] = {}
_MAX_STRINGS = 500_000  # then the table starts again (a bound on memory)


def _key(kind: str, attr: int | str, doc: Doc) -> str:
    # With the Doc's length: a Doc merged or split after a read does not find the old columns.
    return f"diurna.columns.{kind}.{attr}.{len(doc)}"


def string_columns(doc: Doc, *attrs: int) -> list[list[str]]:
    """One list per string-valued attribute (``ORTH``, ``LOWER``, ``LEMMA``...), token by token:
    ``string_columns(doc, LEMMA)[0][i] == doc[i].lemma_``."""
    data = doc.user_data
    missing = [a for a in attrs if _key("str", a, doc) not in data]
    if missing:
        table, store = _STRINGS, doc.vocab.strings
        if len(table) > _MAX_STRINGS:
            table.clear()
        for attr, column in zip(missing, int_columns(doc, *missing), strict=True):
            strings = []
            for key in column:
                text = table.get(key)
                if text is None:
                    text = table[key] = store[key]
                strings.append(text)
            data[_key("str", attr, doc)] = strings
    return [data[_key("str", a, doc)] for a in attrs]


def int_columns(doc: Doc, *attrs: int) -> list[list[int]]:
    """One list per attribute as ``Doc.to_array`` gives it (``POS``, ``SPACY``, ``IS_TITLE``...,
    or the hash of a string-valued one), token by token."""
    data = doc.user_data
    missing: list[int | str] = [a for a in attrs if _key("int", a, doc) not in data]
    if missing:
        if len(doc):
            array: Any = doc.to_array(missing)  # uint64: tolist() gives ints
            columns: list[list[int]] = array.reshape(len(doc), len(missing)).T.tolist()
        else:
            columns = [[] for _ in missing]
        for attr, column in zip(missing, columns, strict=True):
            data[_key("int", attr, doc)] = column
    return [data[_key("int", a, doc)] for a in attrs]


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc."""
    text: str | None = doc.user_data.get(_key("text", 0, doc))
    if text is None:
        (orths,) = string_columns(doc, ORTH)
        (spaces,) = int_columns(doc, SPACY)
        text = "".join(o + " " if s else o for o, s in zip(orths, spaces, strict=True))
        doc.user_data[_key("text", 0, doc)] = text
    return text
