-- Writes the spans of one ingest request: one multi-row INSERT for the whole batch.
INSERT INTO spans
  (workspace, session_id, trace_id, span_id, parent_span_id, source_format, kind, name, status, start_time, end_time,
   attributes_string, attributes_number, attributes_bool, input, output, event_ts, is_deleted)
VALUES
  (:workspace, :session_id, :trace_id, :span_id, :parent_span_id, :source_format, :kind, :name, :status, :start_time,
   :end_time, :attributes_string, :attributes_number, :attributes_bool, :input, :output, :version, 0)
