-- One page of an experiment's sessions read in one pass, with the number of sessions that match the filters, in one
-- statement: a page in any order but the index's own (a metric, a score, a text key, a descending start), and a
-- page in the index order (started_at, root_span_id, session_id) that skips no rows (the first page, or the page
-- after a cursor); a page that skips rows in the index order is page-deep.sql. Composed by SessionQuery from the
-- same parts as page-deep.sql at its marker comments: SESSION_KEY_RANGE (key-range.sql), SESSION_FILTER
-- (filter.sql), KEYS_ORDER_BY, KEYS_LIMIT and KEYS_FROM (below), TEXT_COLUMNS (input and output as the mode
-- wants them), AFTER_CURSOR (the keyset predicate; `1` without a cursor) and READ_SETTINGS. Every value is bound.
-- * One plain ORDER BY ... LIMIT. In the index order the read is a short in-order run of the key range that stops
--   at the LIMIT (READ_SETTINGS: one thread and blocks of 256 rows, the index granularity: one in-order stream
--   that stops early beats several parallel ones reading whole blocks), and finding the keys first would only add
--   a second read. In any other order the engine's lazy materialization (query_plan_optimize_lazy_materialization,
--   on by default since ClickHouse 25.4) sorts on the narrow columns the order and the filters need, then reads the
--   wide ones (input, output, ...) of the page's rows only, by their position in the part: the very rows FINAL
--   kept, so the result is the same as reading everything. Reading the page's rows back by key instead
--   (page-deep.sql's page_keys) decompresses whole granules around each of the page's scattered rows, about ten
--   times the bytes.
-- * The last page or two of a long pre-counted list in the index order come from its end the same way: the reversed
--   order, limit and offset computed from the exact total, in a tail bounded by a start time (KEYS_ORDER_BY,
--   KEYS_LIMIT, KEYS_FROM: see page-deep.sql and counters.sql); the caller puts the rows back in list order, and
--   reads the page again with page-deep.sql when it holds fewer rows than the total says it should. A tail that
--   short holds at most one page of rows after this one, so reading its texts stays bounded. Otherwise
--   KEYS_ORDER_BY is the list's order (the sort keys from a whitelist, then the tie-breaks started_at,
--   root_span_id, session_id), KEYS_LIMIT :limit OFFSET :offset and KEYS_FROM `1`.
-- * Key columns go in PREWHERE, before FINAL's replacing merge (exact: every version of a row shares its key); the
--   other filters in WHERE, after FINAL, on the current version.
-- * counters, TOTAL, list_version: as in page-deep.sql (counters.sql): the pre-counted total when the filters allow it,
--   else the same predicates without the cursor counted in a scalar subquery of the same statement (evaluated once,
--   before the rows), so the total is exact on every page of a walk; list_version is the experiment's write count.
-- * read_at: the engine's clock when the page was read; the next page's cursor carries it as :snapshot (see
--   page-deep.sql).
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
  AND /*KEYS_FROM*/
WHERE /*SESSION_FILTER*/
  AND /*AFTER_CURSOR*/
ORDER BY /*KEYS_ORDER_BY*/
LIMIT /*KEYS_LIMIT*/
/*READ_SETTINGS*/
