"""HTML pages: trafilatura's main text and the page's metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers import ReadOptions, read_paths
from diurna.readers.html import article_from_html

P1 = (
    "Negotiators from both countries met again in Geneva on Tuesday to discuss a ceasefire "
    "along the border, the foreign ministry said in a statement."
)
P2 = (
    "The talks had been suspended for three weeks after an exchange of fire near the frontier "
    "town, in which two soldiers were killed."
)
PAGE = f"""<!DOCTYPE html>
<html><head><title>Talks resume in Geneva | Example News</title>
<meta property="og:title" content="Talks resume in Geneva">
<meta property="article:published_time" content="2022-02-22T10:00:00Z">
<meta name="author" content="Anna Keller">
<link rel="canonical" href="https://news.example.test/2022/02/talks-resume">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume in Geneva</h1>
<p>{P1}</p>
<p>{P2}</p>
</article>
<footer>© 2022 Example News. All rights reserved.</footer>
</body></html>"""


def test_text_and_metadata_of_a_page() -> None:
    article = article_from_html(PAGE, source="talks.html")
    assert article.raw == f"Talks resume in Geneva\n{P1}\n{P2}"
    assert article.title == "Talks resume in Geneva"
    assert article.published == "2022-02-22"
    assert article.author == "Anna Keller"
    assert article.url == "https://news.example.test/2022/02/talks-resume"
    assert article.is_html is True
    assert (article.id, article.source) == ("", "talks.html")


def test_a_url_and_id_given_by_the_container_win() -> None:
    article = article_from_html(
        PAGE, source="dump.jsonl:3", article_id="w-1", url="https://mirror.example.test/x"
    )
    assert (article.id, article.url) == ("w-1", "https://mirror.example.test/x")


def test_an_html_file(tmp_path: Path) -> None:
    path = tmp_path / "talks.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.source == str(path)
    assert article.title == "Talks resume in Geneva"


def test_a_page_in_its_declared_charset(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace(
        "Geneva on Tuesday", "Genève on Tuesday"
    )
    path = tmp_path / "latin.htm"
    path.write_bytes(page.encode("latin-1"))
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert "Genève on Tuesday" in article.raw


def test_the_same_page_read_many_times_gives_the_same_article(tmp_path: Path) -> None:
    path = tmp_path / "again.html"
    path.write_text(PAGE, encoding="utf-8")
    texts = set()
    for _ in range(5):
        [article] = read_paths([path])
        assert isinstance(article, Article)
        texts.add(article.raw)
    assert texts == {f"Talks resume in Geneva\n{P1}\n{P2}"}


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty HTML page"),
        ("  \n ", "empty HTML page"),
        ("no tags here at all", "malformed HTML: no tags at all"),
        ("<html><body><div></div></body></html>", "no article text found in the HTML page"),
        ("<html><script>var x = 1;</script></html>", "no article text found in the HTML page"),
    ],
)
def test_a_page_without_an_article(html: str, reason: str) -> None:
    with pytest.raises(InputError) as err:
        article_from_html(html, source="bad.html")
    assert str(err.value) == f"bad.html: {reason}"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"<html><body><div><span></span></div></body></html>",
            "no article text found in the HTML page",
        ),
        (b"", "empty HTML page"),
        (b"<html>\x00\x00\x00</html>", "binary file (contains NUL bytes), not a text article"),
    ],
)
def test_a_bad_html_file_is_a_failure_naming_it(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    assert list(read_paths([path])) == [Failure(str(path), f"{path}: {reason}")]


def test_an_oversize_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(PAGE, encoding="utf-8")
    [failure] = read_paths([path], ReadOptions(max_bytes=100))
    assert isinstance(failure, Failure)
    assert failure.reason.startswith(f"{path}: article is ")
    assert failure.reason.endswith("over the size limit of 100 bytes (raise it with --max-bytes)")
