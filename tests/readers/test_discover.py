"""Paths, folders and standard input: one bad file never stops the batch."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from diurna.article import Article, Failure
from diurna.readers import ReadOptions, read_paths, read_stream

TEXT = "Negotiators met again in Geneva on Tuesday to discuss a ceasefire, officials said."
PAGE = (
    "<html><head><title>Talks</title></head>"
    f"<body><article><p>{TEXT}</p></article></body></html>"
)


def make_folder(root: Path) -> Path:
    folder = root / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a-good.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b-binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (folder / "c-page.html").write_text(PAGE, encoding="utf-8")
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "sub" / "e-dump.jsonl").write_text(
        json.dumps({"id": "j1", "text": TEXT}) + "\n{broken\n", encoding="utf-8"
    )
    (folder / "notes.md").write_text("# not an article type", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    (folder / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_a_folder_with_good_and_bad_files_yields_both(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    options = ReadOptions()
    items = list(read_paths([folder], options))
    summary = [
        (type(item).__name__, Path(item.source or "").name) for item in items
    ]
    assert summary == [
        ("Article", "a-good.txt"),
        ("Failure", "b-binary.txt"),
        ("Article", "c-page.html"),
        ("Failure", "d-empty.txt"),
        ("Article", "e-dump.jsonl:1 (id j1)"),
        ("Failure", "e-dump.jsonl:2"),
    ]
    assert sorted(Path(p).name for p in options.skipped) == ["image.png", "notes.md"]


def test_failures_name_their_file(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    reasons = [i.reason for i in read_paths([folder]) if isinstance(i, Failure)]
    assert reasons == [
        f"{folder / 'b-binary.txt'}: binary file (contains NUL bytes), not a text article",
        f"{folder / 'd-empty.txt'}: empty article (no text)",
        f"{folder / 'sub' / 'e-dump.jsonl'}:2: malformed JSON: "
        "Expecting property name enclosed in double quotes at column 2",
    ]


def test_a_missing_path_is_a_failure_and_the_others_are_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    missing = tmp_path / "nowhere.txt"
    items = list(read_paths([missing, good]))
    assert items[0] == Failure(str(missing), f"{missing}: no such file or folder")
    assert isinstance(items[1], Article)


def test_a_file_with_an_unknown_suffix_given_by_name_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(TEXT, encoding="utf-8")
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.raw == TEXT


def test_suffixes_are_case_insensitive(tmp_path: Path) -> None:
    (tmp_path / "PAGE.HTML").write_text(PAGE, encoding="utf-8")
    [article] = read_paths([tmp_path])
    assert isinstance(article, Article)
    assert article.is_html


def stream(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]


def test_stdin_jsonl_is_detected() -> None:
    data = (json.dumps({"id": "s1", "text": TEXT}) + "\n" + json.dumps({"text": TEXT})).encode()
    items = list(read_stream(stream(data), "<stdin>", ReadOptions()))
    assert [(type(i).__name__, i.source) for i in items] == [
        ("Article", "<stdin>:1 (id s1)"),
        ("Article", "<stdin>:2"),
    ]


def test_stdin_html_is_detected() -> None:
    [article] = read_stream(stream(b"\n  " + PAGE.encode()), "<stdin>", ReadOptions())
    assert isinstance(article, Article)
    assert article.is_html
    assert (article.raw, article.title, article.source) == (TEXT, "Talks", "<stdin>")


def test_stdin_text_is_detected() -> None:
    [article] = read_stream(stream(TEXT.encode()), "<stdin>", ReadOptions())
    assert isinstance(article, Article)
    assert not article.is_html
    assert (article.raw, article.source) == (TEXT, "<stdin>")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "<stdin>: empty article (no text)"),
        (b"\x00\x00binary", "<stdin>: binary file (contains NUL bytes), not a text article"),
        (b"x" * 50, "<stdin>: input is over the size limit of 20 bytes"),
    ],
)
def test_bad_stdin_is_a_failure(data: bytes, reason: str) -> None:
    items = list(read_stream(stream(data), "<stdin>", ReadOptions(max_bytes=20)))
    assert items == [Failure("<stdin>", reason)]


def test_dash_reads_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = stream(TEXT.encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    good = tmp_path / "good.txt"
    good.write_text(TEXT + " More.", encoding="utf-8")
    items = list(read_paths(["-", good]))
    assert [i.source for i in items] == [str(good), "<stdin>"]
