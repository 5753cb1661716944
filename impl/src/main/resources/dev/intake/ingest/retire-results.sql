-- Retires the ATIF evaluator results of older generations of the ingested sessions (generation = ingested_at),
-- exactly as retire-spans.sql does for spans. Results of other producers stay.
INSERT INTO evaluator_results
  (workspace, session_id, span_id, name, evaluator_result_id, data_type, value, string_value, comment, created_by,
   created_at, ingested_at, is_deleted)
WITH latest AS (
  SELECT session_id, max(generation) AS latest_generation
  FROM session_generations
  PREWHERE workspace = :workspace AND has(:session_ids, session_id)
  GROUP BY session_id
)
SELECT r.workspace, r.session_id, r.span_id, r.name, r.evaluator_result_id, r.data_type, r.value, r.string_value,
       r.comment, r.created_by, r.created_at, l.latest_generation, 1
FROM (
  SELECT *
  FROM evaluator_results FINAL
  PREWHERE workspace = :workspace AND has(:session_ids, session_id)
  WHERE is_deleted = 0 AND created_by = 'intake:atif_importer'
) AS r
INNER JOIN latest AS l ON l.session_id = r.session_id
WHERE r.ingested_at < l.latest_generation
