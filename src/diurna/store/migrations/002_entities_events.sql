-- Actor mentions and coded events. Offsets are character offsets into articles.text.
CREATE TABLE entities (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,             -- position of the mention in its article
    sentence_index INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    actor_text VARCHAR,
    actor_name VARCHAR,
    code VARCHAR,                     -- CAMEO actor code (KAZGOV, RUS, IGOCSTO) or NULL
    country VARCHAR,                  -- ISO 3166 alpha-3
    agent VARCHAR,
    kind VARCHAR,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX entities_code ON entities (code);

CREATE TABLE sentences (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    trigger_text VARCHAR NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    source_text VARCHAR,
    source_name VARCHAR,
    source_code VARCHAR,
    source_country VARCHAR,
    source_agent VARCHAR,
    source_kind VARCHAR,
    target_text VARCHAR,
    target_name VARCHAR,
    target_code VARCHAR,
    target_country VARCHAR,
    target_agent VARCHAR,
    target_kind VARCHAR,
    cameo VARCHAR NOT NULL,
    cameo_root VARCHAR NOT NULL,
    base_cameo VARCHAR,               -- for a negated act: the act's own code
    plover_type VARCHAR,
    plover_mode VARCHAR,
    plover_context VARCHAR,
    modality VARCHAR NOT NULL,        -- asserted | negated | future | hypothetical
    quad_class INTEGER NOT NULL,
    goldstein DOUBLE NOT NULL,
    confidence DOUBLE NOT NULL,
    pattern_id VARCHAR NOT NULL,
    event_date VARCHAR,
    date_precision VARCHAR,
    location JSON
);
CREATE INDEX events_article ON events (article_id);
