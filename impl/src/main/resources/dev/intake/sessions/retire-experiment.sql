-- Retires every index row of an experiment that is being deleted (a tombstone per row), so its sessions leave
-- every list at once and a new experiment re-using the name starts empty. Runs before the experiment row itself is
-- deleted: if it fails, the experiment stays whole and the delete can be retried.
-- Each tombstone takes its row away from the experiment's counts (count_changes, see refresh.sql); its version is
-- never older than the row's, so the tombstone always wins and the count change always holds.
INSERT INTO experiment_sessions
  (workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
   input, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
   version, is_deleted, count_changes)
SELECT workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
       '', ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       greatest(toDateTime64(:version, 6, 'UTC'), version), 1,
       [(CAST(status AS String), test_case_id, toInt8(-1))]
FROM experiment_sessions FINAL
-- key columns before FINAL: exact, since every version of a row shares its key
PREWHERE workspace = :workspace AND experiment_name = :experiment_name
WHERE is_deleted = 0
