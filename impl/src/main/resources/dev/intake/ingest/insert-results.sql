-- Writes the evaluator results of one ingest request: one multi-row INSERT for the whole batch.
INSERT INTO evaluator_results
  (workspace, session_id, span_id, name, evaluator_result_id, data_type, value, string_value, comment, created_by,
   created_at, ingested_at, is_deleted)
VALUES
  (:workspace, :session_id, :span_id, :name, :evaluator_result_id, :data_type, :value, :string_value, NULL,
   'intake:atif_importer', :version, :version, 0)
