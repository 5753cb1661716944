-- Named fragments (not a statement): the head of every write of whole session-index rows, written once for the
-- statements that compute them (refresh.sql from the store, publish-new.sql from the writer's rows), so both list
-- the same columns in the same order as their SELECTs.
-- name: insert_index_rows
INSERT INTO experiment_sessions
  (workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
   input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
   boolean_evaluators, version, first_indexed_at, is_deleted, count_changes)
