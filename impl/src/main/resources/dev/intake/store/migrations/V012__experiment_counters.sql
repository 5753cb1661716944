-- Counters kept current by every write, so that reads need not count: per experiment, how many sessions the list
-- holds for each (status, test case) — the filters that are cheap to pre-count — and how many writes have touched
-- the experiment (its index rows or its own row), a version that changes whenever an answer about it can change.
-- Rows with experiment_name '' count the writes of the workspace's experiment list.
-- Fed only by materialized views on experiment_sessions and experiments (the next migrations), so a count change
-- is written by the same INSERT as the index row that causes it; readers take sum() per key, exact before merges.
-- sessions: +1 when a session enters the list with that status and test case, -1 when it leaves it (a tombstone,
-- a re-ingest that changes status, test case, start or experiment); computed by the writer from the rows it
-- replaces (see sessions/refresh.sql, sessions/retire-experiment.sql).
-- changed_at: when a write last touched the key (the engine's clock); it also makes every block of counter rows
-- distinct, so a replicated table's insert deduplication never drops one of two equal count changes.
-- non_replicated_deduplication_window: the backfill runs once even if two instances migrate at the same time
-- (it carries a deduplication token).
CREATE TABLE IF NOT EXISTS experiment_counters (
  workspace LowCardinality(String),
  experiment_name String,
  status LowCardinality(String),
  test_case_id String,
  sessions SimpleAggregateFunction(sum, Int64),
  writes SimpleAggregateFunction(sum, UInt64),
  changed_at SimpleAggregateFunction(max, DateTime64(6, 'UTC'))
) ENGINE = AggregatingMergeTree()
ORDER BY (workspace, experiment_name, status, test_case_id)
SETTINGS non_replicated_deduplication_window = 100
