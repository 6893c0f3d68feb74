"""Byte ranges of large JSONL and WARC files, so that several workers can read one file.

A *piece* is one file, or the part of it between two byte offsets that fall on record
boundaries: the start of a line for JSONL, the start of a record (for ``.warc.gz``, of a gzip
member) for WARC. Workers seek to the start and read up to the end, so no input is ever read
whole and no record is read twice or lost between two pieces.

Planning reads each large file once, sequentially and in blocks: JSONL only to count lines (so
that record names stay ``file.jsonl:LINE`` exactly as when the file is read whole), WARC through
``warcio`` to find record offsets without keeping any record.
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from warcio.archiveiterator import ArchiveIterator

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers.discover import ReadOptions, file_kind, read_file
from diurna.readers.jsonl import read_jsonl_stream
from diurna.readers.warc import read_warc_stream

_BLOCK = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Piece:
    """Bytes ``start``–``stop`` of ``path`` (``stop`` None: to the end of the file).
    ``first`` numbers the first record of the piece (a line or a WARC record)."""

    path: str
    start: int = 0
    stop: int | None = None
    first: int = 1

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.stop is None


class Window:
    """A read-only view of ``stream`` from its current position, ``length`` bytes long."""

    def __init__(self, stream: IO[bytes], length: int) -> None:
        self.stream = stream
        self.left = length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.readline(size) if size else b""
        self.left -= len(data)
        return data

    def readable(self) -> bool:
        return True


def jsonl_pieces(path: Path, piece_bytes: int) -> list[Piece]:
    """Cut a plain JSONL file after the first newline past every ``piece_bytes``."""
    size = path.stat().st_size
    if size <= piece_bytes:
        return [Piece(str(path))]
    pieces: list[Piece] = []
    start, line = 0, 1
    with path.open("rb") as stream:
        while start < size:
            target = start + piece_bytes
            if target >= size:
                pieces.append(Piece(str(path), start, None, line))
                break
            stream.seek(target)
            stream.readline()  # the end of the line that crosses the target
            stop = stream.tell()
            pieces.append(Piece(str(path), start, stop if stop < size else None, line))
            line += _count_lines(stream, start, stop)
            start = stop
    return pieces


def _count_lines(stream: IO[bytes], start: int, stop: int) -> int:
    stream.seek(start)
    lines, left = 0, stop - start
    while left > 0:
        block = stream.read(min(_BLOCK, left))
        if not block:
            break
        lines += block.count(b"\n")
        left -= len(block)
    stream.seek(stop)
    return lines


def warc_pieces(path: Path, piece_bytes: int) -> list[Piece]:
    """Group consecutive WARC records into pieces of about ``piece_bytes`` (compressed size)."""
    if path.stat().st_size <= piece_bytes:
        return [Piece(str(path))]
    offsets: list[int] = []
    try:
        with path.open("rb") as stream:
            archive = ArchiveIterator(stream)
            for _record in archive:
                offsets.append(archive.get_record_offset())
    except Exception:  # damaged: let one reader of the whole file report it
        return [Piece(str(path))]
    if any(b <= a for a, b in itertools.pairwise(offsets)):
        return [Piece(str(path))]  # one gzip stream for the whole file: not splittable
    pieces: list[Piece] = []
    start, first = 0, 1
    for number, offset in enumerate(offsets, 1):
        if offset - start >= piece_bytes:
            pieces.append(Piece(str(path), start, offset, first))
            start, first = offset, number
    pieces.append(Piece(str(path), start, None, first))
    return pieces


def plan_pieces(path: Path, piece_bytes: int) -> list[Piece]:
    """The pieces of one input file: byte ranges for large plain JSONL and WARC files, the
    whole file otherwise (gzipped JSONL cannot be entered in the middle)."""
    name = path.name.lower()
    kind = file_kind(path)
    if kind == "jsonl" and not name.endswith(".gz"):
        return jsonl_pieces(path, piece_bytes)
    if kind == "warc":
        return warc_pieces(path, piece_bytes)
    return [Piece(str(path))]


def read_piece(piece: Piece, options: ReadOptions) -> Iterator[Article | Failure]:
    """The articles (and failures) of one piece, named as if the whole file were read."""
    path = Path(piece.path)
    if piece.whole:
        yield from read_file(path, options)
        return
    where = str(path)
    try:
        with path.open("rb") as stream:
            stream.seek(piece.start)
            end = piece.stop if piece.stop is not None else path.stat().st_size
            window = cast(IO[bytes], Window(stream, end - piece.start))
            if file_kind(path) == "jsonl":
                yield from read_jsonl_stream(window, where, options.max_bytes,
                                             first_line=piece.first)
            else:
                yield from read_warc_stream(window, where, options.max_bytes,
                                            first_record=piece.first)
    except InputError as exc:
        yield Failure(where, str(exc))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Failure(where, f"{where}: cannot read file: {exc}")
