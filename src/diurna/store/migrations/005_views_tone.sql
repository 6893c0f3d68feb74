-- Tone, and views for the questions users ask most (docs/concepts.md, docs/python-api.md).
--
-- avg_tone: positive minus negative words, in percent of all words, by the lexicon of
-- diurna/export/tone.py (GDELT's AvgTone scale). For an article its whole text, for an event its
-- sentence. NULL where the tone step did not run; the exports then compute it from the text.
ALTER TABLE articles ADD COLUMN avg_tone DOUBLE;
ALTER TABLE events ADD COLUMN avg_tone DOUBLE;

-- The day each event is dated to. event_date is a day (2024-05-01), a month (2024-05), a year
-- (2015) or a range (2020/2021); a coarser date stands for its first day, and the resolution
-- says how coarse it was. An event without a date of its own takes its article's publication
-- date (resolution 'publication'); with neither, day and resolution are NULL.
CREATE VIEW event_dates AS
WITH parsed AS (
    SELECT e.id, e.article_id, e.date_precision, a.published,
           split_part(e.event_date, '/', 1) AS first_part
    FROM events e LEFT JOIN articles a ON a.id = e.article_id
), typed AS (
    SELECT *,
           CASE length(first_part)
               WHEN 10 THEN TRY_CAST(first_part AS DATE)
               WHEN 7 THEN TRY_CAST(first_part || '-01' AS DATE)
               WHEN 4 THEN TRY_CAST(first_part || '-01-01' AS DATE)
           END AS own_day
    FROM parsed
)
SELECT id AS event_id, article_id,
       coalesce(own_day, published) AS day,
       CASE WHEN own_day IS NOT NULL THEN coalesce(date_precision, 'day')
            WHEN published IS NOT NULL THEN 'publication' END AS resolution
FROM typed;

-- Events per month, CAMEO root and QuadClass. Only events that took place are counted: those
-- asserted, and the negations recoded to a rejection (modality 'negated' with a base_cameo);
-- only dates known to the month or better (a year or a range is too coarse for a month).
CREATE VIEW events_by_month AS
SELECT CAST(date_trunc('month', d.day) AS DATE) AS month,
       e.cameo_root,
       e.quad_class,
       count(*) AS events,
       count(DISTINCT e.article_id) AS articles,
       round(avg(e.goldstein), 2) AS avg_goldstein
FROM events e JOIN event_dates d ON d.event_id = e.id
WHERE (e.modality = 'asserted' OR (e.modality = 'negated' AND e.base_cameo IS NOT NULL))
  AND d.resolution IN ('day', 'publication', 'month')
GROUP BY ALL;

-- Who acts on whom: one row per (source, target) pair of actor codes, with the events of each
-- QuadClass (same rule as events_by_month: events that took place).
CREATE VIEW actor_dyads AS
SELECT e.source_code AS source,
       e.target_code AS target,
       count(*) AS events,
       count(*) FILTER (WHERE e.quad_class = 1) AS verbal_cooperation,
       count(*) FILTER (WHERE e.quad_class = 2) AS material_cooperation,
       count(*) FILTER (WHERE e.quad_class = 3) AS verbal_conflict,
       count(*) FILTER (WHERE e.quad_class = 4) AS material_conflict,
       round(avg(e.goldstein), 2) AS avg_goldstein,
       count(DISTINCT e.article_id) AS articles,
       min(d.day) AS first_day,
       max(d.day) AS last_day
FROM events e JOIN event_dates d ON d.event_id = e.id
WHERE e.source_code IS NOT NULL AND e.target_code IS NOT NULL
  AND (e.modality = 'asserted' OR (e.modality = 'negated' AND e.base_cameo IS NOT NULL))
GROUP BY ALL;

-- Recognition stances: one row per (subject, object) pair stated, in an asserted relation, to
-- recognise or not to recognise; stance is the latest by publication date, and conflicting says
-- that both stances were reported.
CREATE VIEW stances AS
WITH r AS (
    SELECT rel.subject_code, rel.object_code, rel.predicate, rel.article_id,
           coalesce(rel.subject_name, rel.subject_text) AS subject_name,
           coalesce(rel.object_name, rel.object_text) AS object_name,
           a.published
    FROM relations rel LEFT JOIN articles a ON a.id = rel.article_id
    WHERE rel.predicate IN ('recognizes', 'does_not_recognize') AND rel.modality = 'asserted'
      AND rel.subject_code IS NOT NULL AND rel.object_code IS NOT NULL
)
SELECT subject_code,
       any_value(subject_name) AS subject_name,
       object_code,
       any_value(object_name) AS object_name,
       arg_max(predicate, coalesce(CAST(published AS VARCHAR), '') || ' ' || article_id)
           AS stance,
       count(DISTINCT article_id) FILTER (WHERE predicate = 'recognizes') AS recognizes,
       count(DISTINCT article_id) FILTER (WHERE predicate = 'does_not_recognize')
           AS does_not_recognize,
       min(published) AS first_seen,
       max(published) AS last_seen,
       count(DISTINCT predicate) > 1 AS conflicting
FROM r
GROUP BY subject_code, object_code;

-- Casualty, arrest and other counts per day and kind. A count dated to a month, a year or a
-- range has no day and is left out; a count without a date takes its article's publication
-- date. total adds every report, so one toll told by two articles counts twice; largest is the
-- largest single report.
CREATE VIEW daily_counts AS
WITH c AS (
    SELECT c.kind, c.number, c.article_id,
           CASE WHEN c.date_value IS NULL THEN a.published
                WHEN length(c.date_value) = 10 THEN TRY_CAST(c.date_value AS DATE)
           END AS day
    FROM counts c LEFT JOIN articles a ON a.id = c.article_id
)
SELECT day, kind,
       count(*) AS reports,
       sum(number) AS total,
       max(number) AS largest,
       count(DISTINCT article_id) AS articles
FROM c
WHERE day IS NOT NULL
GROUP BY ALL;
