"""The NLP step: sentences, tokens, parse and entities for each article, in batches."""

from __future__ import annotations

from collections.abc import Sequence

from diurna.article import Article, Sentence
from diurna.nlp.model import load_model

# Documents per nlp.pipe batch: spaCy's default; larger batches gain little on the small model.
PIPE_BATCH_SIZE = 64


class NLPStep:
    """Parse each article's text; keep the Doc on the article for the following steps."""

    name = "nlp"

    def __init__(self, model: str | None = None) -> None:
        self.model = model

    def __call__(self, article: Article) -> Article:
        return self.batch([article])[0]

    def batch(self, articles: Sequence[Article]) -> list[Article]:
        nlp = load_model(self.model)
        docs = nlp.pipe((a.text for a in articles), batch_size=PIPE_BATCH_SIZE)
        for article, doc in zip(articles, docs, strict=True):
            article.doc = doc
            article.sentences = [
                Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.sents)
            ]
        return list(articles)

    def __getstate__(self) -> dict[str, object]:
        return {"model": self.model}  # the model is loaded again in each worker
