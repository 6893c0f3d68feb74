"""HTML nested past the 256 levels that libxml2 (under trafilatura) reads by default.

Such a page used to lose its text, or keep only what came before the deep part, and failed with
"no article text found". It is now read whole; a page that cannot be is a failure that says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from diurna.article import Article, Failure
from diurna.errors import InputError
from diurna.readers import deep_html, html_depth, read_paths
from diurna.readers.html import article_from_html

SENTENCE = (
    "Kazakhstan does not recognise the Donetsk People's Republic, the ministry said on Tuesday."
)
LATER = (
    "The statement followed talks in Astana between the two foreign ministers last week, at "
    "which both sides said they would keep negotiating a treaty on the border."
)
PAGE = f"""<!DOCTYPE html>
<html><head><title>Astana talks | Example News</title>
<meta property="article:published_time" content="2022-02-22T10:00:00Z">
<meta name="author" content="Anna Keller">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Astana talks</h1>
<p>{SENTENCE}</p>
<div class="share"><a href="#">Share</a> <a href="#">Print</a></div>
<p>{LATER}</p>
</article>
<footer>© 2022 Example News. All rights reserved.</footer>
</body></html>"""


def nested(
    depth: int, inner: str, *, closed: bool = True, opener: str = "<div>", closer: str = "</div>"
) -> str:
    return (
        "<html><head><title>Deep</title></head><body>" + opener * depth + inner
        + (closer * depth if closed else "") + "</body></html>"
    )


def wrapped(page: str, opener: str, depth: int) -> str:
    """``page`` with its whole body inside ``depth`` unclosed copies of ``opener``."""
    return page.replace("<body>", "<body>" + opener * depth, 1)


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
@pytest.mark.parametrize("depth", [300, 1_500, 3_000, 20_000])
def test_the_text_of_a_deeply_nested_page_is_read(depth: int, closed: bool) -> None:
    page = nested(depth, f"<p>{SENTENCE}</p><p>{LATER}</p>", closed=closed)
    article = article_from_html(page, source="deep.html")
    assert article.raw == f"{SENTENCE}\n{LATER}"
    assert article.title == "Deep"


@pytest.mark.parametrize(
    "opener", ["<span>", "<b>", "<section>", "<ul>", "<table>", '<div class="a"><span>',
               "<b><div></b>"],
)
def test_deep_nesting_of_other_elements(opener: str) -> None:
    page = wrapped(f"<html><body><p>{SENTENCE}</p></body></html>", opener, 2_500)
    assert SENTENCE in article_from_html(page, source="deep.html").raw


@pytest.mark.parametrize("opener", ["<div>", '<div class="row">\n', '<div class="a"><span>'])
@pytest.mark.parametrize("depth", [300, 3_000])
def test_a_page_inside_deep_wrappers_reads_as_the_page_itself(opener: str, depth: int) -> None:
    plain = article_from_html(PAGE, source="page.html")
    deep = article_from_html(wrapped(PAGE, opener, depth), source="page.html")
    assert (deep.raw, deep.title, deep.published, deep.author) == (
        plain.raw, plain.title, plain.published, plain.author
    )
    assert plain.raw == f"Astana talks\n{SENTENCE}\n{LATER}"


def test_the_text_after_the_deep_part_is_not_dropped() -> None:
    # libxml2 stopped at the limit and kept what came before: a shallow paragraph then stood
    # in for the article, silently.
    page = f"<html><body><p>{LATER}</p>" + "<div>" * 300 + f"<p>{SENTENCE}</p></body></html>"
    assert article_from_html(page, source="deep.html").raw == f"{LATER}\n{SENTENCE}"


def test_a_deep_html_file_and_a_deep_jsonl_record(tmp_path: Path) -> None:
    page = nested(3_000, f"<p>{SENTENCE}</p>", closed=False)
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    (tmp_path / "dump.jsonl").write_text(json.dumps({"html": page}) + "\n", encoding="utf-8")
    items = list(read_paths([tmp_path / "deep.html", tmp_path / "dump.jsonl"]))
    assert [type(item) for item in items] == [Article, Article]
    assert all(isinstance(item, Article) and SENTENCE in item.raw for item in items)


def test_a_page_beyond_what_the_parser_reads_names_the_file_and_the_depth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Folding is what brings such a page within the parser's 2,048 levels: without it (as when
    # the tokenizer and libxml2 disagree) the page fails, and says why.
    monkeypatch.setattr(html_depth, "fold", lambda html, fold_at: None)
    page = nested(3_000, f"<p>{SENTENCE}</p>", closed=False)
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    (tmp_path / "dump.jsonl").write_text(json.dumps({"html": page}) + "\n", encoding="utf-8")
    reason = (
        "HTML nested 3,003 levels deep, beyond the 2,048 levels the HTML parser reads; "
        "no article text was found above that depth"
    )
    assert list(read_paths([path, tmp_path / "dump.jsonl"])) == [
        Failure(str(path), f"{path}: {reason}"),
        Failure(f"{tmp_path / 'dump.jsonl'}:1", f"{tmp_path / 'dump.jsonl'}:1: {reason}"),
    ]


def test_a_page_cut_off_after_its_text_is_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # As before: the text that the parser did read is the article (junk nested below it lost).
    monkeypatch.setattr(html_depth, "fold", lambda html, fold_at: None)
    page = f"<html><body><p>{SENTENCE}</p>" + "<div>" * 3_000 + "Related</body></html>"
    assert article_from_html(page, source="deep.html").raw == SENTENCE


def test_a_deep_page_without_text_keeps_the_usual_reason() -> None:
    with pytest.raises(InputError) as err:
        article_from_html(nested(300, "<script>var x = 1;</script>"), source="bad.html")
    assert str(err.value) == "bad.html: no article text found in the HTML page"


def test_a_deep_fragment_is_refused_as_a_shallow_one_is() -> None:
    # trafilatura refuses a lone element without <html>; a tree handed to it would skip that.
    for depth in (1, 300):
        with pytest.raises(InputError, match=r"^f\.html: no article text found"):
            article_from_html("<div>" * depth + f"<p>{SENTENCE}</p>", source="f.html")


def test_only_a_page_past_the_limit_takes_the_deep_path() -> None:
    assert deep_html.depth_limit(PAGE) is None
    assert deep_html.depth_limit(nested(250, "<p>x</p>")) is None
    assert deep_html.depth_limit(nested(300, "<p>x</p>")) == 256


# -- the tokenizer's depth and the fold ---------------------------------------------------------


def lxml_depth(html: str) -> int:
    """How deep libxml2 nests the page's elements (with ``huge_tree``: up to 2,048 levels)."""
    tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    return max(len(list(element.iterancestors())) + 1 for element in tree.iter())


@pytest.mark.parametrize(
    "repeat",
    ["<div>", "<p>", "<li>", "<td>", "<a>", "<dd>", "<div/>", "<br>", "<b><div></b>",
     "<span><p></span>", "<p><div>", "<dt><dd>", "<table><tr><td></table>", "<title><div>",
     "<div>text</span>"],
)
def test_the_tokenizer_nests_as_libxml2_does(repeat: str) -> None:
    page = "<html><body>" + repeat * 400 + "x</body></html>"
    assert html_depth.nesting_depth(page) == lxml_depth(page)


def test_folding_keeps_the_text_and_the_structure_inside_the_wrappers() -> None:
    inner = f"<article><h1>Astana talks</h1><p>{SENTENCE}</p></article>"
    page = nested(5_000, inner, opener='<div class="a"><span>', closer="</span></div>")
    folded = html_depth.fold(page, 256)
    assert folded is not None
    assert lxml_depth(folded) < 256
    tree = lxml.html.fromstring(folded)
    [article] = tree.iter("article")
    assert [child.tag for child in article] == ["h1", "p"]
    assert tree.text_content() == f"DeepAstana talks{SENTENCE}"


def test_folding_turns_deep_children_with_text_into_siblings() -> None:
    page = "<html><body>" + "".join(f"<div>{i} " for i in range(1_000)) + "</body></html>"
    folded = html_depth.fold(page, 256)
    assert folded is not None
    assert lxml_depth(folded) <= 256
    assert lxml.html.fromstring(folded).text_content().split() == [str(i) for i in range(1_000)]


def test_a_shallow_page_is_not_folded() -> None:
    assert html_depth.fold(PAGE, 256) is None
