"""Byte ranges of large JSONL and WARC files: reading every piece gives exactly what reading the
whole file gives (same articles, same names, same failures), and memory stays flat."""

from __future__ import annotations

import itertools
import json
import tracemalloc
from pathlib import Path

import pytest
from test_warc import build_warc

from diurna.article import Article, Failure
from diurna.readers import ReadOptions, read_paths
from diurna.readers.ranges import Piece, plan_pieces, read_piece


def _summary(items: list[Article | Failure]) -> list[tuple[str, str | None, str]]:
    return [
        ("article", item.source, item.id) if isinstance(item, Article)
        else ("failure", item.source, item.reason)
        for item in items
    ]


def _by_pieces(pieces: list[Piece]) -> list[Article | Failure]:
    options = ReadOptions()
    return [item for piece in pieces for item in read_piece(piece, options)]


def _jsonl(path: Path, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            if i % 97 == 13:
                out.write("{not json\n")
            elif i % 89 == 5:
                out.write("\n")
            else:
                out.write(json.dumps({"id": f"a{i}", "text": f"Report {i}: the council met "
                                      f"and agreed on item {i}. " * (1 + i % 7)}) + "\n")
    return path


def test_jsonl_pieces_read_exactly_the_whole_file(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "feed.jsonl", 600)
    pieces = plan_pieces(path, 4_000)
    assert len(pieces) > 20
    assert pieces[0].start == 0 and pieces[-1].stop is None
    assert all(a.stop == b.start for a, b in itertools.pairwise(pieces))
    whole = list(read_paths([path]))
    assert _summary(_by_pieces(pieces)) == _summary(whole)
    assert any(isinstance(i, Failure) and ":14: malformed JSON" in i.reason for i in whole)


def test_a_file_without_a_final_newline_and_a_piece_boundary_on_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"x{i}", "text": "a b c " * 20})
                              for i in range(50)), encoding="utf-8")
    for size in (1, 127, 128, 129, 1000):
        pieces = plan_pieces(path, size)
        assert _summary(_by_pieces(pieces)) == _summary(list(read_paths([path])))


def test_small_and_gzipped_jsonl_stay_whole(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "small.jsonl", 5)
    assert plan_pieces(path, 1_000_000) == [Piece(str(path))]
    gz = tmp_path / "feed.jsonl.gz"
    gz.write_bytes(b"\x1f\x8b" + b"\x00" * 5000)
    assert plan_pieces(gz, 100) == [Piece(str(gz))]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_pieces_start_on_records_and_read_the_whole_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(build_warc(gzip=name.endswith(".gz"), pages=40))
    pieces = plan_pieces(path, 2_000)
    assert len(pieces) > 3
    whole = list(read_paths([path]))
    assert sum(isinstance(i, Article) for i in whole) == 40
    assert _summary(_by_pieces(pieces)) == _summary(whole)


def test_a_damaged_warc_is_left_whole_for_its_reader_to_report(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nContent-Length: 99999\r\n\r\n" + b"x" * 5000)
    assert plan_pieces(path, 100) == [Piece(str(path))]


def test_reading_a_large_jsonl_piece_by_piece_keeps_memory_flat(tmp_path: Path) -> None:
    """About 24 MB of JSONL: the reader never holds more than a record or two."""
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "The ministry said talks would resume next week. " * 60})
    with path.open("w", encoding="utf-8") as out:
        for i in range(8_000):
            out.write(line.replace("next week", f"in week {i}") + "\n")
    pieces = plan_pieces(path, 4 * 1024 * 1024)
    assert len(pieces) >= 5
    tracemalloc.start()
    try:
        count = sum(1 for piece in pieces for _ in read_piece(piece, ReadOptions()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 8_000
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes while reading {path.stat().st_size:,}"
