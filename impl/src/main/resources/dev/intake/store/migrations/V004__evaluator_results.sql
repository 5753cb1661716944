-- Evaluator results: one row per version of a result (ATIF: one per reward key).
-- ORDER BY (workspace, session_id, ...): results are only ever read for whole sessions.
CREATE TABLE IF NOT EXISTS evaluator_results (
  workspace LowCardinality(String),
  session_id String,
  span_id String,
  name LowCardinality(String),
  evaluator_result_id String,
  data_type Enum8('NUMERIC' = 1, 'CATEGORICAL' = 2, 'BOOLEAN' = 3, 'TEXT' = 4),
  value Nullable(Float64),
  string_value Nullable(String),
  comment Nullable(String),
  created_by Nullable(String),
  created_at DateTime64(6, 'UTC'),
  ingested_at DateTime64(6, 'UTC'),
  is_deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(ingested_at, is_deleted)
ORDER BY (workspace, session_id, span_id, name, evaluator_result_id)
