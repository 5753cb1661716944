-- One page of an experiment's test cases, each rolled up over all of its sessions (repetitions), with the number
-- of test cases that match the filters (count() OVER (), computed before LIMIT) in the same statement.
-- * Sessions without a test case id form no row.
-- * status: a test case matches when at least one of its sessions has the status; the row still rolls up all of
--   its sessions. min_sessions: at least that many sessions. Both NULL-tolerant (one statement for every case).
-- * Evaluators, in the same pass as everything else: the -Map combinator runs an aggregate per key of
--   evaluator_scores, so each session counts once per evaluator it carries, with its mean score for it (the value
--   the list shows); returned as maps keyed by evaluator name. stddevSamp of one value is NaN, which the service
--   reports as null. evaluator_pass_rate holds only evaluators that are BOOLEAN in every session carrying them
--   (the minimum of has(boolean_evaluators, name) over those sessions): the share of them whose mean is exactly 1
--   (every result true); a name missing from the passes map had none.
-- * One read: the experiment's key range passes through FINAL once, into one GROUP BY test_case_id.
-- * total_tokens: the index's ALIAS column (input + output tokens, NULL when both are missing).
-- * Sort: the ORDER BY marker takes a fragment from a whitelist in code (a column of this statement, NULLS LAST, then
--   test_case_id); sort_evaluator_mean is the mean of evaluator :sort_evaluator ('' when not sorting by one).
-- :workspace, :experiment_name, :status (NULL = any), :min_sessions, :sort_evaluator, :limit, :offset
SELECT test_case_id, count() AS sessions,
       countIf(status = 'success') AS status_success, countIf(status = 'error') AS status_error,
       countIf(status = 'cancelled') AS status_cancelled,
       countIf(status NOT IN ('success', 'error', 'cancelled')) AS status_unknown,
       avg(latency_ms) AS latency_ms_mean, avg(cost_micro_usd) AS cost_micro_usd_mean,
       avg(total_tokens) AS total_tokens_mean,
       countMap(evaluator_scores) AS evaluator_n, avgMap(evaluator_scores) AS evaluator_mean,
       stddevSampMap(evaluator_scores) AS evaluator_stddev,
       minMap(mapApply((name, score) -> (name, toUInt8(has(boolean_evaluators, name))), evaluator_scores))
         AS evaluator_is_boolean,
       countMap(mapFilter((name, score) -> score = 1, evaluator_scores)) AS evaluator_passes,
       mapApply((name, flag) -> (name, evaluator_passes[name] / evaluator_n[name]),
                mapFilter((name, flag) -> flag = 1, evaluator_is_boolean)) AS evaluator_pass_rate,
       if(mapContains(evaluator_mean, :sort_evaluator), evaluator_mean[:sort_evaluator], NULL) AS sort_evaluator_mean,
       count() OVER () AS total
FROM (
  SELECT test_case_id, lower(status) AS status, latency_ms, cost_micro_usd, total_tokens, evaluator_scores,
         boolean_evaluators
  FROM experiment_sessions FINAL
  -- key columns before FINAL: exact, since every version of a row shares its key
  PREWHERE workspace = :workspace AND experiment_name = :experiment_name
  WHERE is_deleted = 0 AND test_case_id != ''
)
GROUP BY test_case_id
HAVING sessions >= :min_sessions AND (:status IS NULL OR countIf(status = :status) > 0)
ORDER BY /*ORDER BY*/
LIMIT :limit OFFSET :offset
SETTINGS log_comment = 'analysis/test-cases.sql'
