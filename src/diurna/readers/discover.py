"""From paths (files, folders, ``-``) to a stream of articles and failures."""

from __future__ import annotations

import gzip
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers.decode import DEFAULT_MAX_BYTES, decode_text, looks_like_html
from diurna.readers.html import article_from_html, read_html_file
from diurna.readers.jsonl import read_jsonl_stream
from diurna.readers.text import article_from_text, read_text_file
from diurna.readers.warc import read_warc_stream

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES


@dataclass
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    skipped: list[str] = field(default_factory=list)
    """Files found in folders but not of a supported type (reported, not failed)."""


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for kind, suffixes in (
        ("warc", WARC_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("text", TEXT_SUFFIXES),
    ):
        if name.endswith(suffixes):
            return kind
    return None


def file_kind(path: Path) -> str | None:
    """``warc``, ``jsonl``, ``html``, ``text`` by suffix, or None for an unsupported file."""
    return _kind(path)


def iter_files(paths: Iterable[str | Path], options: ReadOptions) -> Iterator[Path | Failure]:
    """Expand folders recursively (sorted, hidden files skipped); report missing paths."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(p.startswith(".") for p in child.parts[-1:]):
                    continue
                if _kind(child) is None:
                    options.skipped.append(str(child))
                    continue
                yield child
        elif path.is_file():
            yield path
        else:
            yield Failure(str(path), f"{path}: no such file or folder")


def read_file(path: Path, options: ReadOptions) -> Iterator[Article | Failure]:
    """Read one file of any supported type. An unknown suffix is read as plain text."""
    kind = _kind(path) or "text"
    where = str(path)
    try:
        if kind in ("jsonl", "warc"):
            opener = gzip.open if path.name.lower().endswith(".gz") and kind == "jsonl" else open
            with opener(path, "rb") as stream:
                reader = read_jsonl_stream if kind == "jsonl" else read_warc_stream
                yield from reader(cast(IO[bytes], stream), where, options.max_bytes)
        elif kind == "html":
            yield read_html_file(path, options.max_bytes)
        else:
            yield read_text_file(path, options.max_bytes)
    except InputError as exc:
        yield Failure(where, str(exc))
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:  # zlib: corrupt .gz data
        yield Failure(where, f"{where}: cannot read file: {exc}")


def read_paths(
    paths: Iterable[str | Path], options: ReadOptions | None = None
) -> Iterator[Article | Failure]:
    """Every article (or failure) under ``paths``; ``-`` reads standard input."""
    options = options or ReadOptions()
    for item in iter_files([p for p in paths if str(p) != "-"], options):
        if isinstance(item, Failure):
            yield item
        else:
            yield from read_file(item, options)
    if any(str(p) == "-" for p in paths):
        yield from read_stream(sys.stdin.buffer, "<stdin>", options)


def read_stream(
    stream: IO[bytes], source: str, options: ReadOptions
) -> Iterator[Article | Failure]:
    """Standard input: JSONL if it starts with ``{``, HTML if it looks like a page, else text."""
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.lstrip().startswith(b"{"):
        yield from read_jsonl_stream(stream, source, options.max_bytes)
        return
    data = stream.read(options.max_bytes + 1)
    try:
        if len(data) > options.max_bytes:
            raise InputError(
                f"{source}: input is over the size limit of {options.max_bytes:,} bytes"
            )
        text = decode_text(data, source)
        if looks_like_html(text):
            yield article_from_html(text, source=source)
        else:
            yield article_from_text(text, source=source)
    except InputError as exc:
        yield Failure(source, str(exc))
