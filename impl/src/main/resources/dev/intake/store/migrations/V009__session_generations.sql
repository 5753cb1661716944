-- Which generation of each session's ATIF trajectory is completely written. An ingest writes all rows of a
-- trajectory (spans and evaluator results) with one generation (a microsecond stamp taken when the ingest starts,
-- used as the rows' version), and only then adds its row here, with how many distinct spans and results it wrote.
-- The session's current trajectory is the latest generation recorded here: rows of older generations are retired,
-- rows of newer generations not recorded yet are still being written and are ignored; so concurrent re-ingests
-- of one session, from any number of service instances, never mix (see ingest/retire-spans.sql and
-- sessions/refresh.sql).
-- ReplacingMergeTree(generation) ORDER BY (workspace, session_id): one row per session after merges, the latest
-- generation; readers take max(generation) so they are exact before merges too.
CREATE TABLE IF NOT EXISTS session_generations (
  workspace LowCardinality(String),
  session_id String,
  generation DateTime64(6, 'UTC'),
  span_count UInt32,
  result_count UInt32
) ENGINE = ReplacingMergeTree(generation)
ORDER BY (workspace, session_id)
