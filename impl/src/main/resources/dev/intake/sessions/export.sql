-- Every session of an experiment that matches the list's filters (matching-sessions.sql), in list order, for a
-- streamed export: the caller writes each row to the client as it arrives, so nothing here is limited and nothing
-- is buffered by us.
-- * One consistent view: one statement. ClickHouse reads the set of data parts that exists when the statement
--   starts; rows inserted while it runs are in other parts and not read, and FINAL keeps one version per session.
--   (Bounding the read by a version stamp instead would lose sessions: once a later version is merged with the
--   earlier one, the earlier one is gone.)
-- * evaluator_names: every evaluator name of the exported rows, sorted; a CSV header needs them before the first
--   row. A scalar subquery of the same statement, computed once before the rows; a row whose evaluator is missing
--   from it (an insert that landed between the two reads) fails the export loudly (SessionExport), never silently.
-- * The read follows the table's sort key (started_at, root_span_id), so ORDER BY streams in order, no full sort.
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status, input,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       (SELECT arraySort(groupUniqArrayArray(mapKeys(evaluator_scores))) /*include matching-sessions.sql*/)
         AS evaluator_names
/*include matching-sessions.sql*/
ORDER BY started_at, root_span_id
SETTINGS log_comment = 'sessions/export.sql'
