"""Inputs found by the fuzz tests (tests/fuzz) that the cleaning steps got wrong."""

from __future__ import annotations

import unicodedata

import pytest

from diurna.clean.boilerplate import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A\u00ad\u030a", "\u00c5"), ("e\u200b\u0301", "\u00e9"), ("Gene\ufeff\u0300ve", "Genève")],
)
def test_an_invisible_character_between_a_letter_and_its_accent(text: str,
                                                                 expected: str) -> None:
    # NFC ran before invisible characters were removed, so the text was left decomposed: not
    # NFC, and not equal (nor of equal content hash) to the same words typed without them.
    assert normalise(text) == expected
    assert unicodedata.is_normalized("NFC", normalise(text))


def test_an_invisible_character_between_carriage_return_and_line_feed() -> None:
    # Two line breaks, as before invisible characters are removed (not one "\r\n").
    assert normalise("a\r\u200b\nb") == "a\n\nb"
