"""Boilerplate removal: every rule, with the exact text, title and removed lines it gives."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from diurna.article import Article, Removed
from diurna.clean.boilerplate import BoilerplateStep, clean_text, normalise

HEADLINE = "Border talks resume in Geneva"
BODY1 = (
    "Negotiators from both countries met again in Geneva on Tuesday to discuss a ceasefire "
    "along the disputed border, the foreign ministry said."
)
BODY2 = (
    "The talks had been suspended for three weeks after an exchange of fire near the frontier "
    "town of Aldova, in which two soldiers were killed."
)


def clean_between(line: str) -> tuple[str, list[Removed]]:
    """Clean a headline, a paragraph, ``line``, and another paragraph."""
    result = clean_text(f"{HEADLINE}\n\n{BODY1}\n\n{line}\n\n{BODY2}\n")
    assert result.title == HEADLINE
    return result.text, result.removed


# -- one page with every kind of noise ---------------------------------------------------------


def test_a_page_with_every_kind_of_noise() -> None:
    raw = "\n\n".join(
        [
            "Home > World > Europe",
            HEADLINE,
            "By Anna Keller",
            "Published: 12 March 2022 10:45",
            BODY1,
            "Share this article",
            "Subscribe to our newsletter",
            "We use cookies to improve your experience.",
            "Advertisement",
            "Read more: Ceasefire talks stall in Vienna",
            "Follow us on Twitter",
            "Photo: Reuters",
            BODY2,
            "© 2022 Example News. All rights reserved.",
            "Acme Corp",
        ]
    )
    result = clean_text(raw)
    assert result.title == HEADLINE
    assert result.author == "Anna Keller"
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == [
        Removed("Home > World > Europe", "navigation"),
        Removed(HEADLINE, "headline"),
        Removed("By Anna Keller", "byline"),
        Removed("Published: 12 March 2022 10:45", "timestamp line"),
        Removed("Share this article", "share button"),
        Removed("Subscribe to our newsletter", "subscription prompt"),
        Removed("We use cookies to improve your experience.", "cookie notice"),
        Removed("Advertisement", "advertisement"),
        Removed("Read more: Ceasefire talks stall in Vienna", "related links"),
        Removed("Follow us on Twitter", "social prompt"),
        Removed("Photo: Reuters", "image credit"),
        Removed("© 2022 Example News. All rights reserved.", "footer"),
        Removed("Acme Corp", "sponsor or footer"),
    ]


# -- each line pattern of data/boilerplate.json ------------------------------------------------

PATTERN_LINES = [
    ("Share", "share button"),
    ("Share this article", "share button"),
    ("Share on Facebook", "share button"),
    ("Share via email", "share button"),
    ("Email this story to a friend", "share button"),
    ("Print this page", "share button"),
    ("Tweet", "share button"),
    ("Copy link", "share button"),
    ("Facebook | Twitter | LinkedIn", "share button"),
    ("WhatsApp, Telegram, Email", "share button"),
    ("Subscribe to our newsletter", "subscription prompt"),
    ("Sign up for our daily briefing", "subscription prompt"),
    ("Support independent journalism. Subscribe today.", "subscription prompt"),
    ("Get our weekly digest in your inbox", "subscription prompt"),
    ("Already a subscriber? Log in", "subscription prompt"),
    ("Get unlimited access for 1 dollar a week", "subscription prompt"),
    ("Log in to read the full story", "subscription prompt"),
    ("Register to continue reading", "subscription prompt"),
    ("We use cookies to improve your experience.", "cookie notice"),
    ("This website uses cookies. Accept all cookies", "cookie notice"),
    ("Manage consent", "cookie notice"),
    ("Advertisement", "advertisement"),
    ("Sponsored content", "advertisement"),
    ("Paid partnership", "advertisement"),
    ("Read more: Ceasefire talks stall in Vienna", "related links"),
    ("Related: Sanctions hit exports", "related links"),
    ("Watch: the summit in two minutes", "related links"),
    ("Related articles", "related links"),
    ("You may also like", "related links"),
    ("Most read", "related links"),
    ("Follow us on Twitter", "social prompt"),
    ("Join us on Telegram", "social prompt"),
    ("© 2022 Example News. All rights reserved.", "footer"),
    ("Copyright 2021 Daily Planet", "footer"),
    ("Terms of use", "footer"),
    ("Privacy policy", "footer"),
    ("Back to top", "footer"),
    ("12 comments", "footer"),
    ("Photo: Reuters", "image credit"),
    ("Image credit: AFP/Jane Roe", "image credit"),
    ("Home > World > Europe", "navigation"),
    ("News / Politics / Europe", "navigation"),
    ("Politics > Europe > Germany", "navigation"),
    ("World | Europe | Asia | Africa", "navigation"),
    ("Published: 12 March 2022 10:45", "timestamp line"),
    ("Updated at 10:45 GMT on 3 May", "timestamp line"),
    ("Last updated: 2 hours ago", "timestamp line"),
    ("Posted on 2022-02-22", "timestamp line"),
    ("Published Monday, 21 February 2022", "timestamp line"),
]


@pytest.mark.parametrize(("line", "reason"), PATTERN_LINES)
def test_a_noise_line_is_removed_with_its_reason(line: str, reason: str) -> None:
    text, removed = clean_between(line)
    assert text == f"{BODY1}\n\n{BODY2}"
    assert removed == [Removed(HEADLINE, "headline"), Removed(line, reason)]


def test_every_pattern_of_the_rules_file_is_exercised_above() -> None:
    raw = json.loads(
        resources.files("diurna.clean").joinpath("data/boilerplate.json").read_text("utf-8")
    )
    for rule in raw["line_patterns"]:
        pattern = re.compile(rule["pattern"], re.IGNORECASE)
        lines = [line for line, reason in PATTERN_LINES if reason == rule["reason"]]
        assert any(pattern.search(line) for line in lines), rule
    timestamp = re.compile(raw["timestamp_pattern"], re.IGNORECASE)
    examples = [line for line, reason in PATTERN_LINES if reason == "timestamp line"]
    assert any(timestamp.match(line) for line in examples)


REAL_SENTENCES = [
    "Many people share the view that the talks will fail, the minister told reporters on Monday.",
    "Share prices fell sharply in Moscow on Monday.",
    "Print media were banned by the junta in 2021.",
    "Email records show the minister knew of the plan.",
    "Kazakhstan does not subscribe to the view that the republics are independent states.",
    "Countries that subscribe to the treaty must report their stocks of weapons every year.",
    "Finland and Sweden are expected to sign up to the alliance's defence plans next year.",
    "Subscribers of the state broadcaster were told the broadcast would resume on Friday.",
    "The party said in its newsletter that the strike would go ahead.",
    "Inspectors were given unlimited access to the site, the agency said.",
    "Updated figures show that 227 people were killed.",
    "Published reports said that 227 people were killed in the riots.",
    "Ad hoc talks between the two sides resumed in Doha on Sunday.",
    "Comments by the minister angered the opposition parties on Monday.",
    "Home to 40 million people, Ukraine is the second largest country in Europe.",
]


@pytest.mark.parametrize("sentence", REAL_SENTENCES)
def test_a_real_sentence_with_a_noise_word_is_kept(sentence: str) -> None:
    text, removed = clean_between(sentence)
    assert text == f"{BODY1}\n\n{sentence}\n\n{BODY2}"
    assert removed == [Removed(HEADLINE, "headline")]


# -- the head: headline, banners, bylines --------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Anna Keller", "Anna Keller"),
        ("Written by Maria Lopez and John Smith", "Maria Lopez and John Smith"),
        ("Reporting by Olzhas Auyezov", "Olzhas Auyezov"),
    ],
)
def test_a_byline_in_the_head_becomes_the_author(byline: str, author: str) -> None:
    result = clean_text(f"{HEADLINE}\n\n{byline}\n\n{BODY1}\n")
    assert result.author == author
    assert result.text == BODY1
    assert result.removed == [Removed(HEADLINE, "headline"), Removed(byline, "byline")]


def test_banner_lines_before_the_headline_are_removed() -> None:
    raw = (
        f"Kestrel Banner\n\nKestrel Aerospace Official Partner Logo Here\n\n"
        f"{HEADLINE}\n\n{BODY1}\n\n{BODY2}\n"
    )
    result = clean_text(raw)
    assert result.title == HEADLINE
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == [
        Removed("Kestrel Banner", "banner"),
        Removed("Kestrel Aerospace Official Partner Logo Here", "banner"),
        Removed(HEADLINE, "headline"),
    ]


def test_a_headline_repeated_between_paragraphs_is_kept_once_as_the_title() -> None:
    raw = f"{HEADLINE}\n\n{HEADLINE}\n\n{BODY1}\n\n{HEADLINE.upper()}\n\n{BODY2}\n\n{HEADLINE}\n"
    result = clean_text(raw)
    assert result.title == HEADLINE
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == [
        Removed(HEADLINE, "repeated headline"),
        Removed(HEADLINE, "repeated headline"),
        Removed(HEADLINE.upper(), "repeated headline"),
        Removed(HEADLINE, "repeated headline"),
    ]


def test_a_masthead_at_top_and_bottom_is_not_taken_for_the_repeated_headline() -> None:
    raw = (
        f"WORLD NEWS TODAY\n\n{HEADLINE}\n\n{BODY1}\n\n{HEADLINE}\n\n{BODY2}\n\n"
        "WORLD NEWS TODAY\n"
    )
    result = clean_text(raw)
    assert result.title == HEADLINE
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == [
        Removed("WORLD NEWS TODAY", "banner"),
        Removed(HEADLINE, "repeated headline"),
        Removed(HEADLINE, "repeated headline"),
        Removed("WORLD NEWS TODAY", "sponsor or footer"),
    ]


def test_a_long_headline_without_a_full_stop_is_still_the_title() -> None:
    long_headline = (
        'Police detain dozens as protests against the "foreign agents" bill enter a third week'
    )
    result = clean_text(f"{long_headline}\n\n{BODY1}\n\n{BODY2}\n")
    assert result.title == long_headline
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == [Removed(long_headline, "headline")]


def test_a_title_given_by_the_source_is_removed_from_the_body() -> None:
    result = clean_text(f"BORDER TALKS RESUME IN GENEVA!\n{BODY1}\n{BODY2}", title=HEADLINE)
    assert result.title == HEADLINE
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == [Removed("BORDER TALKS RESUME IN GENEVA!", "headline")]


def test_text_without_a_head_has_no_title() -> None:
    result = clean_text(f"{BODY1}\n\n{BODY2}\n")
    assert result.title is None
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed == []


# -- the tail ----------------------------------------------------------------------------------


def test_a_sponsor_line_at_the_end_is_removed() -> None:
    result = clean_text(f"{HEADLINE}\n\n{BODY1}\n\n{BODY2}\n\nKORVANA DEFENCE SYSTEMS\n")
    assert result.text == f"{BODY1}\n\n{BODY2}"
    assert result.removed[-1] == Removed("KORVANA DEFENCE SYSTEMS", "sponsor or footer")


def test_a_short_last_sentence_is_not_a_sponsor_line() -> None:
    result = clean_text(f"{HEADLINE}\n\n{BODY1}\n\n{BODY2}\n\nTalks continue today.\n")
    assert result.text == f"{BODY1}\n\n{BODY2}\n\nTalks continue today."
    assert result.removed == [Removed(HEADLINE, "headline")]


# -- paragraphs and characters -----------------------------------------------------------------


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    raw = (
        "Border talks resume in Geneva\n"
        "\n"
        "Negotiators from both countries met again in Geneva on Tuesday to\n"
        "discuss a ceasefire along the disputed border, the foreign ministry\n"
        "said in a statement released late in the evening by its spokesman.\n"
        "\n"
        "The talks had been suspended for three weeks after an exchange of\n"
        "fire near the frontier town of Aldova, in which two soldiers were\n"
        "killed and several villagers were wounded by stray artillery shells.\n"
    )
    result = clean_text(raw)
    assert result.title == "Border talks resume in Geneva"
    assert result.text == (
        "Negotiators from both countries met again in Geneva on Tuesday to discuss a ceasefire "
        "along the disputed border, the foreign ministry said in a statement released late in "
        "the evening by its spokesman.\n\n"
        "The talks had been suspended for three weeks after an exchange of fire near the "
        "frontier town of Aldova, in which two soldiers were killed and several villagers were "
        "wounded by stray artillery shells."
    )


def test_hard_wrapped_text_without_a_headline_is_not_given_one() -> None:
    raw = (
        "Negotiators from both countries met again in Geneva on Tuesday to\n"
        "discuss a ceasefire along the disputed border, the foreign ministry\n"
        "said in a statement released late in the evening by its spokesman.\n"
    )
    result = clean_text(raw)
    assert result.title is None
    assert result.text == (
        "Negotiators from both countries met again in Geneva on Tuesday to discuss a ceasefire "
        "along the disputed border, the foreign ministry said in a statement released late in "
        "the evening by its spokesman."
    )


def test_lines_of_extracted_html_stay_separate_paragraphs() -> None:
    result = clean_text(f"{HEADLINE}\n{BODY1}\n{BODY2}")
    assert result.text == f"{BODY1}\n\n{BODY2}"


def test_normalise_quotes_spaces_and_invisible_characters() -> None:
    raw = (
        "\ufeff\u201cWe\u2019re ready,\u201d he said.\u00a0\u00a0Really\u200b\u00ad ok\r\n"
        "line\u2009two \u00abquoted\u00bb \u2018single\u2019 \u201elow\u201d\r"
        "end\u2060  "
    )
    assert normalise(raw) == (
        "\"We're ready,\" he said. Really ok\nline two \"quoted\" 'single' \"low\"\nend"
    )


def test_cleaned_text_has_straight_quotes_and_plain_spaces() -> None:
    raw = (
        "Talks\u00a0resume in\u00a0Geneva\n\n"
        "\u201cWe are ready for a diplomatic solution,\u201d the minister\u2019s "
        "spokes\u200bman said on Monday in the capital.\n"
    )
    result = clean_text(raw)
    assert result.title == "Talks resume in Geneva"
    assert result.text == (
        '"We are ready for a diplomatic solution," the minister\'s spokesman said on Monday '
        "in the capital."
    )


# -- the pipeline step -------------------------------------------------------------------------


def test_the_step_fills_the_article() -> None:
    article = Article(id="a1", raw=f"{HEADLINE}\n\nBy Anna Keller\n\n{BODY1}\n", source="a.txt")
    BoilerplateStep()(article)
    assert (article.title, article.author, article.text) == (HEADLINE, "Anna Keller", BODY1)
    assert article.raw == ""
    assert article.status == "ok"
    assert [r.reason for r in article.removed] == ["headline", "byline"]


def test_the_step_keeps_a_title_and_author_the_source_gave() -> None:
    article = Article(id="a1", raw=f"{BODY1}\n", title="Given title", author="Given Author")
    BoilerplateStep()(article)
    assert (article.title, article.author, article.text) == ("Given title", "Given Author", BODY1)


def test_an_article_that_is_all_boilerplate_fails_with_its_source() -> None:
    article = Article(id="a1", raw="Advertisement\n\nShare this article\n", source="noise.txt")
    BoilerplateStep()(article)
    assert article.status == "failed"
    assert article.status_reason == "noise.txt: empty article after removing boilerplate"


# -- the shared sample ---------------------------------------------------------------------------

SAMPLE_TITLE = "Kazakhstan does not Recognise the Donetsk and Lugansk Decision"
STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@pytest.mark.shared
def test_the_shared_sample(shared_dir: Path) -> None:
    raw = (shared_dir / "samples" / "seed-kazakhstan-recognition.txt").read_text("utf-8")
    result = clean_text(raw)

    assert result.title == SAMPLE_TITLE
    assert Removed("Savronik Banner", "banner") in result.removed
    assert Removed("FNSS", "sponsor or footer") in result.removed
    reasons = {r.reason for r in result.removed}
    assert reasons == {"banner", "repeated headline", "sponsor or footer"}
    assert all(r.text == SAMPLE_TITLE for r in result.removed if r.reason == "repeated headline")
    assert SAMPLE_TITLE not in result.text
    assert "Savronik" not in result.text and "FNSS" not in result.text

    original = [line for line in raw.split("\n") if len(line.split()) > 20]
    paragraphs = result.text.split("\n\n")
    assert len(original) == 4
    assert paragraphs == [line.strip().translate(STRAIGHT) for line in original]
    assert paragraphs[0].startswith("Deputy Prime Minister evaluated his country's approach")
    assert paragraphs[0].endswith('Kazakhstan is ready for it."')
    assert not re.search("[\u2018\u2019\u201c\u201d]", result.text)
