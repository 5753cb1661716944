-- Before re-writing ATIF trajectories, retires every current span of their previous copies (a version with
-- is_deleted = 1, older than the new spans' version). Spans the new copy writes again win by version; spans it no
-- longer has stay retired, so a shorter re-ingest leaves nothing stale. Only ATIF spans of the trajectory's own
-- trace are touched (trace_id = session_id); other producers' spans of the session stay.
INSERT INTO spans
  (workspace, session_id, trace_id, span_id, parent_span_id, source_format, kind, name, status, start_time, end_time,
   attributes_string, attributes_number, attributes_bool, input, output, event_ts, is_deleted)
SELECT workspace, session_id, trace_id, span_id, parent_span_id, source_format, kind, name, status, start_time,
       end_time, attributes_string, attributes_number, attributes_bool, '', '', toDateTime64(:version, 6, 'UTC'), 1
FROM spans FINAL
-- key columns before FINAL: exact, since every version of a span shares its key
PREWHERE workspace = :workspace AND session_id IN (SELECT arrayJoin(:session_ids))
WHERE is_deleted = 0 AND source_format = 'atif' AND trace_id = session_id
