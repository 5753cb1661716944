-- Every session of an experiment that matches the list's filters, in list order, for a streamed export: the
-- caller writes each row to the client as it arrives, so nothing here is limited and nothing is buffered by us.
-- * One consistent view: only row versions stamped at or before :as_of (taken when the export started) are read.
--   version goes in PREWHERE, which ClickHouse applies before FINAL's replacing merge (apply_prewhere_after_final
--   is off by default), so FINAL keeps each session's latest version as of :as_of: a session ingested later is
--   absent, one re-ingested later appears once, as it was. Key columns go in PREWHERE as in page.sql.
-- * evaluator_names: every evaluator name of the exported rows, sorted, from the same statement and the same
--   :as_of bound; a CSV header needs them before the first row. A scalar subquery: computed once, before the rows.
-- * The read follows the table's sort key (started_at, root_span_id), so ORDER BY streams in order, no full sort.
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status, input,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       (SELECT arraySort(groupUniqArrayArray(mapKeys(evaluator_scores)))
        FROM experiment_sessions FINAL
        PREWHERE workspace = :workspace AND experiment_name = :experiment_name
          AND version <= toDateTime64(:as_of, 6, 'UTC')
        WHERE /*include session-filters.sql*/) AS evaluator_names
FROM experiment_sessions FINAL
PREWHERE workspace = :workspace AND experiment_name = :experiment_name AND version <= toDateTime64(:as_of, 6, 'UTC')
WHERE /*include session-filters.sql*/
ORDER BY started_at, root_span_id
SETTINGS log_comment = 'sessions/export.sql'
