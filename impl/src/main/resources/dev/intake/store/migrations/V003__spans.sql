-- Spans: the source of truth, one row per version of a span (ingest writes a new version; a retired span gets a
-- version with is_deleted = 1).
-- ORDER BY (workspace, session_id, trace_id, span_id): the identity of a span is its key, so a new version replaces
-- the old one even if the span's start time moved; and the only span reads we make (recomputing a session's
-- rollup at ingest, retiring a session's previous spans) select whole sessions, which this key makes contiguous.
-- end_time is Nullable: "no end" is NULL, never confused with a real end.
-- Cost is stored in attributes_number['cost.total'] as integer micro-USD, so sums are exact.
CREATE TABLE IF NOT EXISTS spans (
  workspace LowCardinality(String),
  session_id String,
  trace_id String,
  span_id String,
  parent_span_id String DEFAULT '',
  source_format LowCardinality(String),
  kind LowCardinality(String) DEFAULT 'UNKNOWN',
  name String DEFAULT '',
  status LowCardinality(String) DEFAULT 'unknown',
  start_time DateTime64(6, 'UTC') CODEC(Delta(8), ZSTD(1)),
  end_time Nullable(DateTime64(6, 'UTC')),
  attributes_string Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  attributes_number Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
  attributes_bool Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
  input String CODEC(ZSTD(3)),
  output String CODEC(ZSTD(3)),
  event_ts DateTime64(6, 'UTC'),
  is_deleted UInt8 DEFAULT 0,
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = ReplacingMergeTree(event_ts, is_deleted)
PARTITION BY toYYYYMM(start_time)
ORDER BY (workspace, session_id, trace_id, span_id)
SETTINGS index_granularity = 1024
