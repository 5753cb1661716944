-- Retires the current ATIF evaluator results of re-ingested sessions (see retire-spans.sql).
INSERT INTO evaluator_results
  (workspace, session_id, span_id, name, evaluator_result_id, data_type, value, string_value, comment, created_by,
   created_at, ingested_at, is_deleted)
SELECT workspace, session_id, span_id, name, evaluator_result_id, data_type, value, string_value, comment, created_by,
       created_at, toDateTime64(:version, 6, 'UTC'), 1
FROM evaluator_results FINAL
PREWHERE workspace = :workspace AND session_id IN (SELECT arrayJoin(:session_ids))
WHERE is_deleted = 0 AND created_by = 'intake:atif_importer'
