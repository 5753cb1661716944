-- Fills boolean_evaluators for index rows written before the column existed: every live row is written again
-- (a newer version, same values, first_indexed_at kept) with the names of its session's evaluators whose current
-- NUMERIC/BOOLEAN results that have a value are all BOOLEAN, the definition refresh.sql applies at ingest.
-- Runs at start-up before any request is served, so no ingest races the newer version.
INSERT INTO experiment_sessions
  (workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
   input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
   boolean_evaluators, version, first_indexed_at, is_deleted)
WITH
  booleans AS (
    SELECT workspace, session_id, groupArrayIf(name, only_boolean) AS names
    FROM (
      SELECT workspace, session_id, name, min(data_type = 'BOOLEAN') AS only_boolean
      FROM evaluator_results FINAL
      WHERE is_deleted = 0 AND data_type IN ('NUMERIC', 'BOOLEAN') AND value IS NOT NULL
      GROUP BY workspace, session_id, name)
    GROUP BY workspace, session_id
  )
SELECT s.workspace, s.experiment_id, s.experiment_name, s.started_at, s.root_span_id, s.session_id, s.trace_id,
       s.test_case_id, s.status, s.input, s.output, s.ended_at, s.latency_ms, s.input_tokens, s.output_tokens,
       s.cached_tokens, s.cost_micro_usd, s.evaluator_scores, b.names, now64(6, 'UTC'), s.first_indexed_at, 0
FROM experiment_sessions AS s FINAL
INNER JOIN booleans AS b ON b.workspace = s.workspace AND b.session_id = s.session_id
WHERE s.is_deleted = 0 AND notEmpty(b.names)
