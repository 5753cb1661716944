-- One page of an experiment's sessions in any order but the index's own (a metric, a score, a text key, a
-- descending start), with the number of sessions that match the filters, in one statement. Composed by
-- SessionQuery from the same parts as page.sql at its marker comments: SESSION_KEY_RANGE (key-range.sql),
-- SESSION_FILTER (filter.sql), SESSION_ORDER_BY (the sort keys from a whitelist, then the tie-breaks started_at,
-- root_span_id, session_id), TEXT_COLUMNS (input and output as the mode wants them) and AFTER_CURSOR (the keyset
-- predicate; `1` without a cursor). Every value is bound.
-- * One plain ORDER BY ... LIMIT: the engine's lazy materialization (query_plan_optimize_lazy_materialization, on by
--   default since ClickHouse 25.4) sorts on the narrow columns the order and the filters need, then reads the wide
--   ones (input, output, ...) of the page's rows only, by their position in the part: the very rows FINAL kept, so
--   the result is the same as reading everything. Reading the page's rows back by key instead (page.sql's
--   page_keys) decompresses whole granules around each of the page's scattered rows, about ten times the bytes.
-- * Key columns go in PREWHERE, before FINAL's replacing merge (exact: every version of a row shares its key); the
--   other filters in WHERE, after FINAL, on the current version.
-- * counters, TOTAL, list_version: as in page.sql (counters.sql): the pre-counted total when the filters allow it,
--   else the same predicates without the cursor counted in a scalar subquery of the same statement (evaluated once,
--   before the rows), so the total is exact on every page of a walk; list_version is the experiment's write count.
-- * read_at: the engine's clock when the page was read; the next page's cursor carries it as :snapshot (see
--   page.sql).
-- An experiment that does not exist has no rows here; the caller (SessionsQuery) tells an empty answer from an
-- unknown experiment with a second statement.
WITH /*COUNTERS*/ AS counters
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status,
       /*TEXT_COLUMNS*/,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       /*TOTAL*/ AS total, counters.2 AS list_version,
       now64(6, 'UTC') AS read_at
FROM experiment_sessions FINAL
PREWHERE /*SESSION_KEY_RANGE*/
WHERE /*SESSION_FILTER*/
  AND /*AFTER_CURSOR*/
ORDER BY /*SESSION_ORDER_BY*/
LIMIT :limit OFFSET :offset
