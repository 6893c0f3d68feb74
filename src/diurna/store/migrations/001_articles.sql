-- Articles as read and cleaned, and every input that could not be read or processed.
CREATE TABLE articles (
    id VARCHAR PRIMARY KEY,
    source VARCHAR,
    url VARCHAR,
    title VARCHAR,
    published DATE,
    fetched VARCHAR,
    author VARCHAR,
    language VARCHAR,
    status VARCHAR NOT NULL,          -- ok | duplicate | non_english | failed
    status_reason VARCHAR,
    duplicate_of VARCHAR,
    content_hash VARCHAR,
    text VARCHAR,
    removed JSON,                     -- [{text, reason}] boilerplate taken out by cleaning
    warnings JSON,
    n_chars INTEGER,
    ingested_at TIMESTAMP NOT NULL
);
CREATE INDEX articles_content_hash ON articles (content_hash);

CREATE SEQUENCE failures_id START 1;
CREATE TABLE failures (
    id BIGINT PRIMARY KEY DEFAULT nextval('failures_id'),
    source VARCHAR NOT NULL,          -- the file, with line or record where it applies
    stage VARCHAR NOT NULL,           -- read | clean | nlp | code | store
    reason VARCHAR NOT NULL,
    article_id VARCHAR,
    failed_at TIMESTAMP NOT NULL
);
