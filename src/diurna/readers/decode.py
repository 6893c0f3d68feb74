"""Turning bytes into text, with a specific reason when that is not possible."""

from __future__ import annotations

import hashlib
import re

from diurna.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Default size limit for one article (20 MB). Larger articles are refused with a reason."""

_SNIFF_BYTES = 8192
# Share of control characters (other than tab, CR, LF, FF) in the first 8 KB above which a file is
# taken for binary. Real text has none; 5% tolerates a few stray bytes in scraped pages.
_BINARY_CONTROL_SHARE = 0.05
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def check_binary(data: bytes, where: str) -> None:
    """Raise InputError if ``data`` looks like a binary file rather than text."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        raise InputError(f"{where}: binary file (contains NUL bytes), not a text article")
    if head and len(_CONTROL.findall(head)) / len(head) > _BINARY_CONTROL_SHARE:
        raise InputError(f"{where}: binary file (too many control characters), not a text article")


def decode_text(data: bytes, where: str, *, html: bool = False) -> str:
    """Decode ``data`` as UTF-8 (an HTML page's declared charset is honoured).

    We do not guess encodings: a wrong guess silently corrupts names, which is worse for event
    data than a clear refusal the user can fix.
    """
    check_binary(data, where)
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            encoding = declared.group(1).decode("ascii").lower()
            if encoding not in {"utf-8", "utf8"}:
                try:
                    return data.decode(encoding)
                # UnicodeError, not only UnicodeDecodeError: "punycode" and "undefined" raise it
                except (LookupError, UnicodeError) as exc:
                    raise InputError(
                        f"{where}: cannot decode as its declared charset {encoding!r}: {exc}"
                    ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: undecodable bytes: not valid UTF-8 at byte {exc.start} "
            f"({data[exc.start:exc.start + 4]!r}); re-encode the file as UTF-8"
        ) from exc


def check_size(n_bytes: int, where: str, max_bytes: int) -> None:
    if n_bytes > max_bytes:
        raise InputError(
            f"{where}: article is {n_bytes:,} bytes, over the size limit of {max_bytes:,} bytes "
            "(raise it with --max-bytes)"
        )


def short_hash(text: str) -> str:
    """A stable 16-hex-digit hash, used for ids derived from URLs and content."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|body|article|p|div|head)\b", head)
    )
