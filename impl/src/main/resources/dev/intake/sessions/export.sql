-- Every session of an experiment that the list would return, in the list's order, for a streamed export: the caller
-- writes each row to the client as it arrives, so nothing here is limited and nothing is buffered by us. Composed by
-- SessionQuery from the list's own parts at its marker comments: SESSION_KEY_RANGE (key-range.sql), SESSION_FILTER
-- (filter.sql), SESSION_ORDER_BY (the sort, then the tie-breaks) and TEXT_COLUMNS (input and output as the mode
-- wants them, see SessionsQuery), so filters, order and mode mean exactly what they mean in the list.
-- * Key columns go in PREWHERE, before FINAL's replacing merge (exact: every version of a row shares its key); the
--   other filters in WHERE, after FINAL, on the current version.
-- * One consistent view: one statement. ClickHouse reads the set of data parts that exists when the statement
--   starts; rows inserted while it runs are in other parts and not read, and FINAL keeps one version per session.
--   (Bounding the read by a version stamp instead would lose sessions: once a later version is merged with the
--   earlier one, the earlier one is gone.)
-- * evaluator_names (EVALUATOR_NAMES, CSV only): every evaluator name of the exported rows, sorted; a CSV header
--   needs them before the first row. A scalar subquery of the same statement, computed once before the rows; a row
--   whose evaluator is missing from it (an insert that landed between the two reads) fails the export loudly
--   (SessionExport), never silently. NDJSON has no header, so it gets an empty list and the selection is read
--   once, not twice.
-- * In the default order the read follows the table's sort key, so ORDER BY streams in order without a full sort;
--   any other order is sorted by the engine (spilling to disk if it must), still streamed to us row by row.
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status,
       /*TEXT_COLUMNS*/,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       /*EVALUATOR_NAMES*/ AS evaluator_names
FROM experiment_sessions FINAL
PREWHERE /*SESSION_KEY_RANGE*/
WHERE /*SESSION_FILTER*/
ORDER BY /*SESSION_ORDER_BY*/
