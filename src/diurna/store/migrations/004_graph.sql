-- The knowledge graph: relations between actors (each with its evidence sentence) and events
-- clustered across articles. Offsets are character offsets into articles.text (end exclusive).
CREATE TABLE relations (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,             -- position of the relation in its article
    subject_text VARCHAR,
    subject_name VARCHAR,
    subject_code VARCHAR,             -- CAMEO actor code (KAZ, KAZGOV, IGOCSTO)
    subject_country VARCHAR,          -- ISO 3166 alpha-3
    subject_kind VARCHAR,             -- state | igo | person | group | region | ...
    predicate VARCHAR NOT NULL,       -- member_of | signatory_of | holds_office | recognizes | ...
    object_text VARCHAR,
    object_name VARCHAR,              -- for an office: "<Role> of <Country>"
    object_code VARCHAR,              -- actor code; TREATY:<slug>-<year> for a treaty
    object_country VARCHAR,
    object_kind VARCHAR,              -- ... | treaty | office
    valid_from VARCHAR,               -- YYYY, YYYY-MM or YYYY-MM-DD, where known
    valid_to VARCHAR,
    modality VARCHAR NOT NULL,        -- asserted | negated | future | hypothetical
    sentence_index INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,   -- the sentence (or sentences) stating the relation
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX relations_subject ON relations (subject_code);
CREATE INDEX relations_object ON relations (object_code);
CREATE INDEX relations_predicate ON relations (predicate);

-- One row per real-world event reported by one or more event mentions (rebuilt after ingest by
-- diurna.graph.event_dedup.rebuild_clusters; see docs/knowledge-graph.md for the rule).
CREATE TABLE event_clusters (
    cluster_id VARCHAR PRIMARY KEY,   -- c- + hash of the cluster's first (anchor) event id
    anchor_event_id VARCHAR NOT NULL,
    source_code VARCHAR,
    target_code VARCHAR,
    cameo VARCHAR NOT NULL,           -- the most frequent code among the mentions
    cameo_root VARCHAR NOT NULL,
    modality VARCHAR NOT NULL,
    quad_class INTEGER,
    first_date VARCHAR,               -- earliest and latest event_date of the mentions
    last_date VARCHAR,
    date_precision VARCHAR,           -- the anchor's precision
    place_country VARCHAR,            -- ISO 3166 alpha-3, where the mentions have a place
    num_mentions INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,     -- distinct domains (or sources) of the articles
    num_articles INTEGER NOT NULL,
    built_at TIMESTAMP NOT NULL
);
CREATE TABLE event_mentions (
    event_id VARCHAR PRIMARY KEY,     -- every event belongs to exactly one cluster
    cluster_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    source VARCHAR,                   -- the article's domain or source
    event_date VARCHAR
);
CREATE INDEX event_mentions_cluster ON event_mentions (cluster_id);

-- Relations merged across articles: one row per (subject, predicate, object); persons and
-- offices are told apart by name, since several people share a code such as KAZGOV.
-- conflicting: the same pair is also stated with the opposite polarity (recognizes vs
-- does_not_recognize, both asserted), or the relation is both asserted and negated.
CREATE VIEW relation_evidence AS
WITH r AS (
    SELECT rel.*, a.published,
           CASE WHEN rel.subject_kind = 'person'
                THEN coalesce(rel.subject_name, rel.subject_text) END AS subject_person,
           CASE WHEN rel.object_kind = 'office' THEN rel.object_name END AS office
    FROM relations rel LEFT JOIN articles a ON a.id = rel.article_id
), g AS (
    SELECT subject_code, subject_person, predicate, object_code, office,
           any_value(coalesce(subject_name, subject_text)) AS subject_name,
           any_value(coalesce(object_name, object_text)) AS object_name,
           any_value(subject_kind) AS subject_kind,
           any_value(object_kind) AS object_kind,
           min(published) AS first_seen,
           max(published) AS last_seen,
           count(DISTINCT article_id) AS num_articles,
           count(*) AS num_mentions,
           count(DISTINCT CASE WHEN modality = 'asserted' THEN article_id END) AS num_asserted,
           count(DISTINCT CASE WHEN modality = 'negated' THEN article_id END) AS num_negated,
           min(valid_from) AS valid_from,
           max(valid_to) AS valid_to
    FROM r
    GROUP BY subject_code, subject_person, predicate, object_code, office
)
SELECT g.*,
       (g.num_asserted > 0 AND g.num_negated > 0) OR (
           g.num_asserted > 0
           AND g.predicate IN ('recognizes', 'does_not_recognize')
           AND EXISTS (
               SELECT 1 FROM relations o
               WHERE o.subject_code = g.subject_code AND o.object_code = g.object_code
                 AND o.modality = 'asserted'
                 AND o.predicate = CASE g.predicate WHEN 'recognizes' THEN 'does_not_recognize'
                                                    ELSE 'recognizes' END
           )
       ) AS conflicting
FROM g;
