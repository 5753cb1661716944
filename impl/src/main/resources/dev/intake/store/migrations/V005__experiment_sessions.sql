-- The session index: one row per (experiment, session) with everything the session list shows, computed from the
-- session's current spans and results when a trajectory is ingested (see sessions/refresh.sql).
-- ORDER BY (workspace, experiment_name, started_at, root_span_id, session_id): one experiment's sessions are one
-- contiguous key range already in list order, so a page reads the first rows of that range and nothing per span.
-- The key holds the experiment's name (what the URL carries), so a page needs no experiment lookup first; the rows
-- of a deleted experiment are retired when it is deleted, so a re-created experiment with an old name starts empty
-- (experiment_id records which incarnation a row belongs to).
-- session_id ends the key so the ReplacingMergeTree identity is one session's row; a row whose started_at or
-- root_span_id moves on re-ingest is retired explicitly by the refresh (a tombstone with is_deleted = 1).
-- index_granularity 256: a page of 100 rows touches one or two granules instead of reading 8192 rows.
CREATE TABLE IF NOT EXISTS experiment_sessions (
  workspace LowCardinality(String),
  experiment_id UUID,
  experiment_name String,
  started_at DateTime64(6, 'UTC') CODEC(Delta(8), ZSTD(1)),
  root_span_id String,
  session_id String,
  trace_id String,
  test_case_id String DEFAULT '',
  status LowCardinality(String) DEFAULT 'unknown',
  input String CODEC(ZSTD(3)),
  ended_at Nullable(DateTime64(6, 'UTC')),
  latency_ms Nullable(Float64),
  input_tokens Nullable(Int64),
  output_tokens Nullable(Int64),
  cached_tokens Nullable(Int64),
  cost_micro_usd Nullable(Int64),
  evaluator_scores Map(LowCardinality(String), Float64),
  version DateTime64(6, 'UTC'),
  is_deleted UInt8 DEFAULT 0,
  INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_test_case_id test_case_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_status status TYPE set(8) GRANULARITY 1
) ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (workspace, experiment_name, started_at, root_span_id, session_id)
SETTINGS index_granularity = 256
