"""Bytes to text: binary sniffing, UTF-8 only (or an HTML page's declared charset), size limits."""

from __future__ import annotations

import pytest

from diurna.errors import InputError
from diurna.readers.decode import (
    check_binary,
    check_size,
    decode_text,
    looks_like_html,
    short_hash,
)


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(InputError) as err:
        check_binary(b"GIF89a\x00\x01\x02", "pic.txt")
    assert str(err.value) == "pic.txt: binary file (contains NUL bytes), not a text article"


def test_many_control_characters_mean_binary() -> None:
    with pytest.raises(InputError) as err:
        check_binary(b"ab\x01\x02\x03\x04cd" * 10, "odd.txt")
    assert str(err.value) == (
        "odd.txt: binary file (too many control characters), not a text article"
    )


def test_a_stray_control_character_in_long_text_is_tolerated() -> None:
    check_binary(b"a" * 200 + b"\x07" + b"b" * 200, "ok.txt")
    check_binary(b"tabs\tand\r\nnewlines\x0cform feed", "ok.txt")


def test_utf8_with_and_without_a_byte_order_mark() -> None:
    assert decode_text("Café in Zürich".encode(), "a.txt") == "Café in Zürich"
    assert decode_text(b"\xef\xbb\xbfHello", "a.txt") == "Hello"


def test_undecodable_bytes_are_refused_with_the_position() -> None:
    with pytest.raises(InputError) as err:
        decode_text("Café au lait".encode("latin-1"), "latin.txt")
    assert str(err.value) == (
        "latin.txt: undecodable bytes: not valid UTF-8 at byte 3 (b'\\xe9 au'); "
        "re-encode the file as UTF-8"
    )


def test_an_html_page_declared_charset_is_honoured() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body>Café</body></html>'
    assert decode_text(page.encode("latin-1"), "p.html", html=True).endswith("Café</body></html>")


def test_a_declared_charset_that_does_not_exist_is_refused() -> None:
    page = b'<html><head><meta charset="klingon-8"></head><body>x</body></html>'
    expected = r"^p\.html: cannot decode as its declared charset 'klingon-8'"
    with pytest.raises(InputError, match=expected):
        decode_text(page, "p.html", html=True)


def test_a_text_file_charset_is_never_guessed() -> None:
    page = '<meta charset="iso-8859-1"> Café'.encode("latin-1")
    with pytest.raises(InputError, match="undecodable bytes"):
        decode_text(page, "a.txt")


def test_check_size() -> None:
    check_size(100, "a.txt", 100)
    with pytest.raises(InputError) as err:
        check_size(2048, "big.txt", 1000)
    assert str(err.value) == (
        "big.txt: article is 2,048 bytes, over the size limit of 1,000 bytes "
        "(raise it with --max-bytes)"
    )


def test_short_hash_is_stable_hex() -> None:
    assert short_hash("abc") == "a9993e364706816a"
    assert len(short_hash("anything")) == 16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("  \n<html lang='en'>", True),
        ("<p>One paragraph</p>", True),
        ('<?xml version="1.0"?><html/>', True),
        ("Plain text with a < sign and x > y.", False),
        ("Kazakhstan does not recognise the republics.", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected
