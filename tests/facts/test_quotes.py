"""Quote extraction on real parses: each attribution form, speakers, reported speech, storage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from diurna.actors.step import ActorStep
from diurna.article import Article
from diurna.clean.boilerplate import clean_text
from diurna.facts.quotes import QuoteStep, extract_quotes, load_verbs, quoted_spans
from diurna.nlp.step import NLPStep
from diurna.store.rows_facts import QUOTES, quote_rows
from diurna.store.schema import migrate


def quotes(text: str, published: str = "2023-06-15") -> list:
    article = Article(id="t", text=text, published=published)
    for step in (NLPStep(), ActorStep(), QuoteStep()):
        step(article)
    for q in article.quotes:  # every quote points into the text
        assert article.text[q.start : q.end] == q.text
    return article.quotes


def direct(text: str, published: str = "2023-06-15") -> list:
    return [q for q in quotes(text, published) if q.direct]


# -- attribution forms ------------------------------------------------------------------------

def test_quote_then_speaker_said() -> None:
    [q] = direct('"We will not change course," Foreign Minister Sergei Lavrov said on Monday.')
    assert q.text == "We will not change course"
    assert q.speaker is not None and q.speaker.code == "RUSGOV"
    assert q.verb == "say" and q.sentence_index == 0


def test_quote_then_said_speaker() -> None:
    [q] = direct('"The talks were useful," said Turkish President Recep Tayyip Erdogan.')
    assert q.speaker is not None and q.speaker.code == "TURGOV"


def test_speaker_said_then_quote() -> None:
    [q] = direct('Kazakh President Kassym-Jomart Tokayev said, "The terrorists will be destroyed."')
    assert q.text == "The terrorists will be destroyed."
    assert q.speaker is not None and q.speaker.name == "Kassym-Jomart Tokayev"


def test_told_reporters_colon() -> None:
    [q] = direct('Ukrainian President Volodymyr Zelensky told reporters: "We need air defence."')
    assert q.speaker is not None and q.speaker.code == "UKRGOV"
    assert q.verb == "tell"


def test_according_to_after_quote() -> None:
    [q] = direct('"The border is closed," according to the Polish interior ministry.')
    assert q.verb == "according to"
    assert q.speaker is not None and q.speaker.country == "POL"


def test_multi_sentence_quote_is_one_record() -> None:
    text = ('Israeli Prime Minister Benjamin Netanyahu spoke on Saturday and said, "We did not '
            'start this war. We will finish it. Our soldiers will bring the hostages home."')
    [q] = direct(text)
    assert q.text.startswith("We did not start") and q.text.endswith("hostages home.")
    assert q.speaker is not None and q.speaker.code == "ISRGOV"


def test_split_quote_gives_two_records_with_one_speaker() -> None:
    text = ('President Emmanuel Macron arrived in Berlin on Tuesday. "We will not," he said, '
            '"change course."')
    first, second = direct(text)
    assert (first.text, second.text) == ("We will not", "change course.")
    assert first.speaker == second.speaker
    assert first.speaker is not None and first.speaker.code == "FRAGOV"


def test_pronoun_speaker_is_the_last_person_named() -> None:
    [q] = direct('Olaf Scholz arrived in Paris. "Europe must stay united," he said.')
    assert q.speaker is not None and q.speaker.name == "Olaf Scholz"


def test_title_speaker_is_the_person_with_that_title() -> None:
    text = ('Mukhtar Tileuberdi met the press in Astana. The Deputy Prime Minister said, '
            '"Kazakhstan respects international law."')
    [q] = direct(text, "2022-02-23")
    assert q.speaker is not None and q.speaker.name == "Mukhtar Tileuberdi"
    assert q.speaker.code == "KAZGOV"


def test_free_standing_quote_after_a_speech_sentence() -> None:
    text = ('Chancellor Olaf Scholz spoke in the Bundestag on Thursday.\n\n'
            '"Germany will stand by Ukraine for as long as it takes."')
    [q] = direct(text)
    assert q.speaker is not None and q.speaker.code == "DEUGOV"


def test_scare_quote_is_attributed_to_the_clause_subject() -> None:
    [q] = direct('Putin described the events as a "foreign-backed terrorist uprising".')
    assert q.text == "foreign-backed terrorist uprising"
    assert q.verb == "describe" and q.speaker is not None and q.speaker.code == "RUSGOV"


def test_a_quoted_name_is_not_a_quote() -> None:
    assert quotes('Kazakhstan went through an uprising later named "Bloody January".') == []
    assert quotes('The film "Steppe Wind" opened the festival in Almaty on Friday.') == []


def test_unresolved_speaker_keeps_its_text() -> None:
    [q] = direct('"It was like the end of the world," said Aidos Nurlanov, a shopkeeper in Almaty.')
    assert q.speaker is not None and q.speaker.code is None
    assert "Aidos Nurlanov" in q.speaker.text


# -- reported speech --------------------------------------------------------------------------

def test_said_that_is_reported_speech_without_that() -> None:
    [q] = quotes("China said that it opposed any unilateral sanctions.")
    assert not q.direct and q.text == "it opposed any unilateral sanctions"
    assert q.speaker is not None and q.speaker.code == "CHN" and q.verb == "say"


def test_described_as_is_reported_speech() -> None:
    [q] = quotes("Russia's defence ministry described the strike as a response to provocations.")
    assert not q.direct and q.text == "a response to provocations" and q.verb == "describe"
    assert q.speaker is not None and q.speaker.country == "RUS"


def test_according_to_sentence_is_reported_speech() -> None:
    [q] = quotes("According to the United Nations, more than 300 civilians have been killed.")
    assert not q.direct and q.verb == "according to"
    assert q.text == "more than 300 civilians have been killed"
    assert q.speaker is not None and q.speaker.code == "IGOUNO"


def test_speech_verbs_inside_a_quote_are_not_reported_speech() -> None:
    found = quotes('Tokayev said, "I can assure you that there is no recognition by Kazakhstan."')
    assert [q.direct for q in found] == [True]


def test_reported_clause_stops_before_a_coordinated_speech_verb() -> None:
    text = ('Tileuberdi pointed out that the council will convene in the coming hours and said, '
            '"Kazakhstan is ready."')
    reported = [q for q in quotes(text, "2022-02-23") if not q.direct]
    assert [q.text for q in reported] == ["the council will convene in the coming hours"]
    assert reported[0].verb == "point out"


# -- quoted text, data and plumbing -----------------------------------------------------------

def test_quoted_spans_pairs_marks_per_paragraph() -> None:
    text = 'He said "one" and "two".\n"Open quote runs on\nNext "x"'
    spans = [text[m.start : m.end] for m in quoted_spans(text)]
    assert spans == ["one", "two", "Open quote runs on", "x"]


def test_quoted_spans_single_quotes_but_not_apostrophes() -> None:
    text = "The minister's aides called it a 'sham' and said they'd object."
    assert [text[m.start : m.end] for m in quoted_spans(text)] == ["sham"]


def test_verb_lists_load() -> None:
    verbs = load_verbs()
    assert {"say", "tell", "describe", "point out"} <= verbs.speech | verbs.describe
    assert verbs.reported <= verbs.speech | verbs.describe
    assert "minister" in verbs.titles


def test_quotes_need_a_parse() -> None:
    with pytest.raises(RuntimeError, match="parsed Doc"):
        extract_quotes(Article(id="x", text='"No," he said.'))


def test_quote_rows_fit_the_schema_and_the_table(tmp_path: Path) -> None:
    article = Article(id="a1", text='"We will not," said Sergei Lavrov.', published="2023-06-15")
    for step in (NLPStep(), ActorStep(), QuoteStep()):
        step(article)
    rows = quote_rows(article, dt.datetime(2026, 1, 1))
    assert rows and rows[0]["speaker_code"] == "RUSGOV" and rows[0]["direct"] is True
    table = pa.Table.from_pylist(rows, schema=QUOTES)
    con = duckdb.connect(str(tmp_path / "q.duckdb"))
    migrate(con)
    con.register("_batch", table)
    con.execute("INSERT INTO quotes BY NAME SELECT * FROM _batch")
    assert con.execute("SELECT speaker_code, verb FROM quotes").fetchall() == [("RUSGOV", "say")]


# -- the shared sample ------------------------------------------------------------------------

@pytest.mark.shared
def test_sample_article_quotes(shared_dir: Path) -> None:
    raw = (shared_dir / "samples" / "seed-kazakhstan-recognition.txt").read_text(encoding="utf-8")
    found = quotes(clean_text(raw).text, "2022-02-23")
    by_text = {q.text: q for q in found if q.direct}
    tileuberdi = next(t for t in by_text if t.startswith("I can assure you that there is no"))
    assert tileuberdi.endswith("Kazakhstan is ready for it.")
    assert by_text[tileuberdi].speaker is not None
    assert by_text[tileuberdi].speaker.name == "Mukhtar Tileuberdi"
    scare = by_text["foreign-backed terrorist uprising"]
    assert scare.verb == "describe" and scare.speaker and scare.speaker.name == "Vladimir Putin"
    state = next(t for t in by_text if t.startswith("a new state arises, but with this state"))
    assert by_text[state].speaker is not None
    assert by_text[state].speaker.name == "Vladimir Putin"
    assert "Bloody January" not in by_text
