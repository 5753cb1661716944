-- One page of an experiment's sessions in list order (started_at, root_span_id), straight from the session index:
-- one contiguous key range, already sorted, so only the first granules of the range past the offset are read.
-- Key columns in PREWHERE are applied before FINAL's replacing merge; that is exact because every version of a
-- row shares its key. status and test_case_id are not key columns, so they are checked after FINAL, on the
-- current version only. A NULL filter matches everything.
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status, input,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores
FROM experiment_sessions FINAL
PREWHERE workspace = :workspace AND experiment_id = :experiment_id
WHERE is_deleted = 0
  AND (:status IS NULL OR status = :status)
  AND (:test_case_id IS NULL OR test_case_id = :test_case_id)
ORDER BY started_at, root_span_id
LIMIT :limit OFFSET :offset
SETTINGS log_comment = 'sessions/page.sql'
