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
-- name: whole_range
1
-- name: tail_start
-- The first start time among the last rows of the list read without FINAL (cheap: an unmerged read goes backwards
-- in key order and stops at its LIMIT): twice the rows the page needs from the end plus a few, because stale
-- versions and rows that FINAL would drop are counted here too. A start time bounds a suffix of the key order,
-- and every version of a row shares its start time, so FINAL over that suffix is exact for the rows in it.
started_at >= (SELECT min(started_at)
               FROM (SELECT started_at
                     FROM experiment_sessions
                     PREWHERE /*SESSION_KEY_RANGE*/
                     WHERE /*SESSION_FILTER*/
                     ORDER BY /*KEYS_ORDER_BY*/
                     LIMIT 2 * greatest(counters.1 - :offset, 0) + 16))
