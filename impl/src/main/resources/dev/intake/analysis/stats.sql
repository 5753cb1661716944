-- Counts and distributions over exactly the sessions the session list returns for the same filters (the list's
-- key range and filter parts, sessions/key-range.sql and filter.sql, at their markers), as one row. Everything is
-- aggregated here; the service only formats the row.
-- * Percentiles: quantilesExactInclusive, exact with linear interpolation between the nearest ranks (type 7, the
--   definition the spec states). Aggregates skip NULLs, so each distribution is over the sessions that have the
--   value, and an all-NULL column gives NULL (n = 0).
-- * total_tokens: the index's ALIAS column (input + output tokens, a missing one counting 0, NULL when both are).
-- * Statuses are compared lower-cased, as the list maps them; anything else counts as unknown.
-- * test case repetitions: sessions per non-empty test_case_id of the same selection, counted in the same pass
--   (countMapIf: one map of test case -> sessions), then how many, min, max and mean. (A subquery grouping the
--   selection by test case would read it a second time, through FINAL again: about 80 % more engine time.)
-- * Evaluators are stats-evaluators.sql: aggregating them here per map key (-Map combinators) measured slower
--   than a second, narrow statement.
-- * Arrays and tuples are also returned element by element (aliases are visible in the same SELECT), so the
--   service reads plain columns.
-- :workspace, :experiment_name and the list's filter values (SessionQuery.params)
WITH selected AS (
  SELECT lower(status) AS status, test_case_id, latency_ms, cost_micro_usd, input_tokens, output_tokens, total_tokens
  FROM experiment_sessions FINAL
  -- the list's own parts: its key range before FINAL (exact: every version of a row shares its key), its filters after
  PREWHERE /*SESSION_KEY_RANGE*/
  WHERE /*SESSION_FILTER*/
)
SELECT
  count() AS sessions,
  countIf(status = 'success') AS status_success,
  countIf(status = 'error') AS status_error,
  countIf(status = 'cancelled') AS status_cancelled,
  countIf(status NOT IN ('success', 'error', 'cancelled')) AS status_unknown,
  count(latency_ms) AS latency_n, sum(latency_ms) AS latency_sum, avg(latency_ms) AS latency_mean,
  min(latency_ms) AS latency_min, max(latency_ms) AS latency_max,
  quantilesExactInclusive(0.5, 0.9, 0.95, 0.99)(latency_ms) AS latency_q,
  latency_q[1] AS latency_p50, latency_q[2] AS latency_p90, latency_q[3] AS latency_p95, latency_q[4] AS latency_p99,
  count(cost_micro_usd) AS cost_n, sum(cost_micro_usd) AS cost_sum, avg(cost_micro_usd) AS cost_mean,
  min(cost_micro_usd) AS cost_min, max(cost_micro_usd) AS cost_max,
  quantilesExactInclusive(0.5, 0.9, 0.95, 0.99)(cost_micro_usd) AS cost_q,
  cost_q[1] AS cost_p50, cost_q[2] AS cost_p90, cost_q[3] AS cost_p95, cost_q[4] AS cost_p99,
  count(input_tokens) AS input_n, sum(input_tokens) AS input_sum, avg(input_tokens) AS input_mean,
  min(input_tokens) AS input_min, max(input_tokens) AS input_max,
  quantilesExactInclusive(0.5, 0.9, 0.95, 0.99)(input_tokens) AS input_q,
  input_q[1] AS input_p50, input_q[2] AS input_p90, input_q[3] AS input_p95, input_q[4] AS input_p99,
  count(output_tokens) AS output_n, sum(output_tokens) AS output_sum, avg(output_tokens) AS output_mean,
  min(output_tokens) AS output_min, max(output_tokens) AS output_max,
  quantilesExactInclusive(0.5, 0.9, 0.95, 0.99)(output_tokens) AS output_q,
  output_q[1] AS output_p50, output_q[2] AS output_p90, output_q[3] AS output_p95, output_q[4] AS output_p99,
  count(total_tokens) AS total_n, sum(total_tokens) AS total_sum, avg(total_tokens) AS total_mean,
  min(total_tokens) AS total_min, max(total_tokens) AS total_max,
  quantilesExactInclusive(0.5, 0.9, 0.95, 0.99)(total_tokens) AS total_q,
  total_q[1] AS total_p50, total_q[2] AS total_p90, total_q[3] AS total_p95, total_q[4] AS total_p99,
  mapValues(countMapIf(map(test_case_id, 1), test_case_id != '')) AS repetitions,
  length(repetitions) AS test_cases_count, arrayMin(repetitions) AS repetitions_min,
  arrayMax(repetitions) AS repetitions_max, arrayAvg(repetitions) AS repetitions_mean
FROM selected
