-- One page of an experiment's sessions in the requested order, with the number of sessions that match the
-- filters, in one statement. Composed by SessionQuery from fixed parts at its marker comments: SESSION_KEY_RANGE
-- (key-range.sql), SESSION_FILTER (filter.sql), SESSION_ORDER_BY (the sort keys, from a whitelist, then the
-- tie-breaks started_at, root_span_id, session_id), TEXT_COLUMNS (input and output as the mode wants them) and
-- AFTER_CURSOR (a keyset predicate built from the same whitelist; `1` without a cursor). Every value is bound.
-- * Key columns go in PREWHERE, before FINAL's replacing merge: exact, because every version of a row shares its
--   key. The other filters are checked after FINAL, on the current version.
-- * total: the same predicates without the cursor, counted in a scalar subquery of the same statement (no second
--   round trip), so it is exact on every page of a walk.
-- * read_at: the engine's clock when the page was read; the next page's cursor carries it as :snapshot, so a walk
--   keeps exactly the sessions indexed before it started (first_indexed_at, see refresh.sql).
-- * max_threads = 1 and max_block_size = 256 (the index granularity): with the default order a page is a short
--   in-order read, and on a small machine one in-order stream that stops at the LIMIT beats several parallel ones.
-- An experiment that does not exist has no rows here (deleting one retires its rows); an empty answer is told
-- apart from an unknown experiment by the caller (SessionsQuery) with a second statement.
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status,
       /*TEXT_COLUMNS*/,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       (SELECT count()
        FROM experiment_sessions FINAL
        PREWHERE /*SESSION_KEY_RANGE*/
        WHERE /*SESSION_FILTER*/) AS total,
       now64(6, 'UTC') AS read_at
FROM experiment_sessions FINAL
PREWHERE /*SESSION_KEY_RANGE*/
WHERE /*SESSION_FILTER*/
  AND /*AFTER_CURSOR*/
ORDER BY /*SESSION_ORDER_BY*/
LIMIT :limit OFFSET :offset
SETTINGS max_threads = 1, max_block_size = 256, log_comment = 'sessions/page.sql'
