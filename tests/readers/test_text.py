"""Plain-text files: one file, one article; every bad file is a failure naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers import ReadOptions, read_paths
from diurna.readers.text import article_from_text, read_text_file

STORY = "Talks resume in Geneva\n\nNegotiators met again in Geneva on Tuesday, officials said.\n"


def read_one(path: Path, max_bytes: int = 1_000_000) -> Article | Failure:
    items = list(read_paths([path], ReadOptions(max_bytes=max_bytes)))
    assert len(items) == 1
    return items[0]


def test_a_text_file_is_one_article(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.raw == STORY
    assert article.source == str(path)
    assert article.id == ""  # the identity step decides
    assert article.is_html is False
    assert article.title is None  # cleaning decides which line is the headline


def test_read_text_file_directly(tmp_path: Path) -> None:
    path = tmp_path / "story.text"
    path.write_bytes(STORY.encode("utf-8"))
    assert read_text_file(path, 1000).raw == STORY


def test_article_from_text_keeps_a_given_id() -> None:
    article = article_from_text(STORY, source="<stdin>", article_id="abc")
    assert (article.id, article.source) == ("abc", "<stdin>")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty article (no text)"),
        (b"   \n\n\t  \r\n", "empty article (no text)"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary file (contains NUL bytes), not a text article",
        ),
        (
            "Café au lait".encode("latin-1"),
            "undecodable bytes: not valid UTF-8 at byte 3 (b'\\xe9 au'); "
            "re-encode the file as UTF-8",
        ),
    ],
    ids=["empty", "whitespace-only", "binary", "latin-1"],
)
def test_a_bad_text_file_is_a_failure_naming_it(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    failure = read_one(path)
    assert failure == Failure(str(path), f"{path}: {reason}")


def test_an_oversize_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    failure = read_one(path, max_bytes=100)
    assert isinstance(failure, Failure)
    assert failure.reason == (
        f"{path}: article is 500 bytes, over the size limit of 100 bytes "
        "(raise it with --max-bytes)"
    )


def test_read_text_file_raises_input_error_for_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty article"):
        read_text_file(path, 1000)
