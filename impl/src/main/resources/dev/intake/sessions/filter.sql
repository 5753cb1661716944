-- Named fragments (not a statement): the list's filters on the current version of each session-index row, so they
-- go in WHERE after FINAL (these columns change between versions). SessionQuery joins with AND the fragments a
-- query needs (`current` always, the others when their parameter is given) and puts them at the SESSION_FILTER
-- marker of a statement: the list, its count and every feature that works on "the sessions the list would return"
-- use these definitions. A fragment left out is not evaluated, so its column is never read.
-- * A NULL value never matches a bound on it (NULL >= x is NULL, which WHERE treats as false).
-- * Cost bounds arrive in micro-USD, the stored unit, so the comparison is exact.
-- * score is repeated once per condition: N is the condition's index and OP its operator, one of >=, <=, >, <, =
--   (SessionFilter checks it), both put in by code; the name and the bound are bound values. A session without
--   that evaluator fails (the map would answer 0 for a missing key, hence mapContains).
-- * snapshot: a cursor walk keeps the sessions that were in the index when it started (see refresh.sql).
-- name: current
is_deleted = 0
-- name: status
status = :status
-- name: test_case_id
test_case_id = :test_case_id
-- name: min_latency_ms
latency_ms >= :min_latency_ms
-- name: max_latency_ms
latency_ms <= :max_latency_ms
-- name: min_cost_total_usd
cost_micro_usd >= :min_cost_micro_usd
-- name: max_cost_total_usd
cost_micro_usd <= :max_cost_micro_usd
-- name: min_total_tokens
total_tokens >= :min_total_tokens
-- name: max_total_tokens
total_tokens <= :max_total_tokens
-- name: input_contains
positionCaseInsensitiveUTF8(input, :input_contains) > 0
-- name: score
mapContains(evaluator_scores, :score_name_N) AND evaluator_scores[:score_name_N] OP :score_bound_N
-- name: snapshot
first_indexed_at <= :snapshot
