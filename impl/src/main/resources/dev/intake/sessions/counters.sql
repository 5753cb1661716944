-- Named fragments (not a statement) of page.sql, chosen by SessionsQuery.
-- counters: (the experiment's sessions matching the pre-countable filters, its write count) from
-- experiment_counters, one small key range; COUNTED is status / test case predicates from code, or 1.
-- name: counters
(SELECT (sumIf(sessions, COUNTED), sum(writes))
 FROM experiment_counters
 PREWHERE workspace = :workspace AND experiment_name = :experiment_name)
-- name: counted_total
counters.1
-- name: scanned_total
(SELECT count()
 FROM experiment_sessions FINAL
 PREWHERE /*SESSION_KEY_RANGE*/
 WHERE /*SESSION_FILTER*/)
-- name: forward_limit
:limit OFFSET :offset
-- name: reversed_limit
least(:limit, greatest(counters.1 - :offset, 0)) OFFSET greatest(counters.1 - :offset - :limit, 0)
