-- One page of an experiment's test cases, each rolled up over all of its sessions (repetitions), with the number
-- of test cases that match the filters (count() OVER (), computed before LIMIT) in the same statement.
-- * Sessions without a test case id form no row.
-- * status: a test case matches when at least one of its sessions has the status; the row still rolls up all of
--   its sessions. min_sessions: at least that many sessions. Both NULL-tolerant (one statement for every case).
-- * Evaluators: each session counts once with its mean score for the evaluator (the value the list shows);
--   returned as maps keyed by evaluator name. stddevSamp of one value is NaN, which the service reports as null.
--   evaluator_pass_rate holds only evaluators that are BOOLEAN in every session carrying them (see
--   boolean_evaluators); the others have no pass rate.
-- * total_tokens: the index's ALIAS column (input + output tokens, NULL when both are missing).
-- * Sort: the ORDER BY marker takes a fragment from a whitelist in code (a column of this statement, NULLS LAST, then
--   test_case_id); sort_evaluator_mean is the mean of evaluator :sort_evaluator ('' when not sorting by one).
-- * The selection is read twice (the rollup and the evaluator pass); both passes are short scans of one key range.
-- :workspace, :experiment_name, :status (NULL = any), :min_sessions, :sort_evaluator, :limit, :offset
WITH
  sessions AS (
    SELECT test_case_id, lower(status) AS status, latency_ms, cost_micro_usd, total_tokens, evaluator_scores,
           boolean_evaluators
    FROM experiment_sessions FINAL
    -- key columns before FINAL: exact, since every version of a row shares its key
    PREWHERE workspace = :workspace AND experiment_name = :experiment_name
    WHERE is_deleted = 0 AND test_case_id != ''
  ),
  cases AS (
    SELECT test_case_id, count() AS sessions,
           countIf(status = 'success') AS status_success, countIf(status = 'error') AS status_error,
           countIf(status = 'cancelled') AS status_cancelled,
           countIf(status NOT IN ('success', 'error', 'cancelled')) AS status_unknown,
           avg(latency_ms) AS latency_ms_mean, avg(cost_micro_usd) AS cost_micro_usd_mean,
           avg(total_tokens) AS total_tokens_mean
    FROM sessions
    GROUP BY test_case_id
    HAVING sessions >= :min_sessions AND (:status IS NULL OR countIf(status = :status) > 0)
  ),
  scores AS (
    SELECT test_case_id, mapFromArrays(groupArray(name), groupArray(n)) AS evaluator_n,
           mapFromArrays(groupArray(name), groupArray(mean)) AS evaluator_mean,
           mapFromArrays(groupArray(name), groupArray(stddev)) AS evaluator_stddev,
           mapFromArrays(groupArrayIf(name, pass_rate IS NOT NULL), groupArrayIf(pass_rate, pass_rate IS NOT NULL))
             AS evaluator_pass_rate
    FROM (
      SELECT test_case_id, name, count() AS n, avg(score) AS mean, stddevSamp(score) AS stddev,
             if(min(has(boolean_evaluators, name)), countIf(score = 1) / count(), NULL) AS pass_rate
      FROM sessions
      ARRAY JOIN mapKeys(evaluator_scores) AS name, mapValues(evaluator_scores) AS score
      GROUP BY test_case_id, name)
    GROUP BY test_case_id
  )
SELECT c.test_case_id AS test_case_id, sessions, status_success, status_error, status_cancelled, status_unknown,
       latency_ms_mean, cost_micro_usd_mean, total_tokens_mean,
       s.evaluator_n AS evaluator_n, s.evaluator_mean AS evaluator_mean, s.evaluator_stddev AS evaluator_stddev,
       s.evaluator_pass_rate AS evaluator_pass_rate,
       if(mapContains(evaluator_mean, :sort_evaluator), evaluator_mean[:sort_evaluator], NULL) AS sort_evaluator_mean,
       count() OVER () AS total
FROM cases AS c
LEFT JOIN scores AS s ON s.test_case_id = c.test_case_id
ORDER BY /*ORDER BY*/
LIMIT :limit OFFSET :offset
