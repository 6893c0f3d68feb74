-- Shards finished by a sharded ingest (docs/scaling.md). A shard is a set of input pieces (files,
-- or byte ranges of large JSONL and WARC files); its id is a hash of the pieces, the files'
-- sizes and modification times, so an edited file makes new shards. A shard is recorded in the
-- same transaction as its rows: a re-run skips exactly the shards whose rows are in.
CREATE TABLE shards (
    id VARCHAR PRIMARY KEY,
    pieces JSON NOT NULL,
    articles INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    finished_at TIMESTAMP NOT NULL
);
