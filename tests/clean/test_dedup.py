"""Article identity (id, URL, content) and deduplication."""

from __future__ import annotations

from diurna.article import Article
from diurna.clean.dedup import Deduplicator, IdentityStep, Verdict, content_hash
from diurna.readers.decode import short_hash

TEXT = "Negotiators met again in Geneva on Tuesday to discuss a ceasefire along the border."


def test_identity_keeps_an_article_own_id() -> None:
    article = Article(id="wire-17", url="https://news.example.test/a", raw=TEXT)
    assert IdentityStep()(article).id == "wire-17"


def test_identity_from_the_url() -> None:
    article = Article(id="", url="https://news.example.test/a", raw=TEXT)
    assert IdentityStep()(article).id == "u-" + short_hash("https://news.example.test/a")


def test_identity_from_the_content() -> None:
    article = Article(id="", raw=TEXT)
    IdentityStep()(article)
    assert article.id == "h-" + short_hash(TEXT)
    assert len(article.id) == 18


def test_identity_is_stable_and_depends_on_the_content() -> None:
    first = IdentityStep()(Article(id="", raw=TEXT))
    again = IdentityStep()(Article(id="", raw=TEXT))
    other = IdentityStep()(Article(id="", raw=TEXT + " More."))
    assert first.id == again.id
    assert first.id != other.id


def test_content_hash_ignores_case_and_whitespace() -> None:
    assert content_hash("Talks  resume\n\nin GENEVA ") == content_hash("talks resume in geneva")
    assert content_hash("Talks resume in Geneva") != content_hash("Talks resume in Vienna")


def test_the_same_id_twice_is_unchanged() -> None:
    dedup = Deduplicator()
    assert dedup.check(Article(id="a", text=TEXT)) is Verdict.NEW
    again = Article(id="a", text=TEXT)
    assert dedup.check(again) is Verdict.UNCHANGED
    assert again.status == "ok"
    assert again.duplicate_of is None


def test_the_same_text_under_another_id_is_a_linked_duplicate() -> None:
    dedup = Deduplicator()
    first = Article(id="a", text=TEXT)
    second = Article(id="b", text=TEXT.upper().replace(" ", "  "))
    assert dedup.check(first) is Verdict.NEW
    assert dedup.check(second) is Verdict.DUPLICATE
    assert second.status == "duplicate"
    assert second.duplicate_of == "a"
    assert second.status_reason == "same text as article a"
    assert second.content_hash == first.content_hash == content_hash(TEXT)


def test_different_text_is_new() -> None:
    dedup = Deduplicator()
    assert dedup.check(Article(id="a", text=TEXT)) is Verdict.NEW
    assert dedup.check(Article(id="b", text=TEXT + " Talks go on.")) is Verdict.NEW


def test_known_ids_and_hashes_come_from_the_store() -> None:
    dedup = Deduplicator(known_ids={"a"}, known_hashes={content_hash(TEXT): "a"})
    assert dedup.check(Article(id="a", text=TEXT)) is Verdict.UNCHANGED
    copy = Article(id="c", text=TEXT)
    assert dedup.check(copy) is Verdict.DUPLICATE
    assert copy.duplicate_of == "a"


def test_failed_articles_are_not_hashed() -> None:
    dedup = Deduplicator()
    failed = Article(id="f", text=TEXT, status="failed")
    assert dedup.check(failed) is Verdict.NEW
    assert failed.content_hash is None
    assert dedup.check(Article(id="g", text=TEXT)) is Verdict.NEW


def test_a_non_english_article_can_be_the_first_copy() -> None:
    dedup = Deduplicator()
    dedup.check(Article(id="de", text=TEXT, status="non_english"))
    copy = Article(id="de2", text=TEXT)
    assert dedup.check(copy) is Verdict.DUPLICATE
    assert copy.duplicate_of == "de"
