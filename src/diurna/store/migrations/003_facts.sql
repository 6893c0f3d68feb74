-- Facts extracted from articles: casualty and arrest counts, quotes, geocoded place mentions.
-- Offsets are character offsets into articles.text (end exclusive).
CREATE TABLE counts (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,             -- position of the count in its article
    kind VARCHAR NOT NULL,            -- KILL | WOUND | ARREST | KIDNAP | DISPLACE | PROTEST | AFFECT | SEIZE
    number BIGINT NOT NULL,
    approximate BOOLEAN NOT NULL,
    object VARCHAR,
    text VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    sentence_index INTEGER NOT NULL,
    event_id VARCHAR,
    date_value VARCHAR,
    date_precision VARCHAR,
    location JSON,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX counts_kind ON counts (kind);

CREATE TABLE quotes (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    text VARCHAR NOT NULL,            -- the quoted words, without quote marks
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    speaker_text VARCHAR,
    speaker_code VARCHAR,             -- CAMEO actor code of the speaker, or NULL
    speaker_country VARCHAR,          -- ISO 3166 alpha-3
    verb VARCHAR,                     -- lemma of the introducing verb ("say", "according to")
    direct BOOLEAN NOT NULL,          -- false for reported speech
    sentence_index INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX quotes_speaker ON quotes (speaker_code);

CREATE TABLE places (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    name VARCHAR NOT NULL,            -- the gazetteer's name for the place
    text VARCHAR,                     -- the mention as written
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    sentence_index INTEGER NOT NULL,
    country VARCHAR,                  -- ISO 3166 alpha-3
    admin1 VARCHAR,                   -- ISO 3166-2 code, or GeoNames CC.XX
    lat DOUBLE,
    lon DOUBLE,
    geonameid BIGINT,
    precision VARCHAR NOT NULL,       -- city | region | admin1 | country
    confidence DOUBLE NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX places_country ON places (country);
