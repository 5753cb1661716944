-- Retires the ATIF spans of older generations of the ingested sessions: every current span of the trajectory's own
-- trace (source_format = 'atif', trace_id = session_id) whose generation (event_ts) is older than the session's
-- latest recorded generation gets a tombstone (is_deleted = 1) versioned with that latest generation. Spans the
-- latest generation wrote again already replaced the old ones by version; spans it no longer has are retired here,
-- so a shorter re-ingest leaves nothing stale.
-- Concurrent re-ingests: each ingest runs this after recording its own generation, so the last one to run sees
-- every generation's rows and retires all but the latest. Spans of a newer generation still being written are
-- never touched (their event_ts is newer), and a tombstone versioned with the latest generation never hides a
-- row of a later one. Other producers' spans of the session stay.
INSERT INTO spans
  (workspace, session_id, trace_id, span_id, parent_span_id, source_format, kind, name, status, start_time, end_time,
   attributes_string, attributes_number, attributes_bool, input, output, event_ts, is_deleted)
WITH latest AS (
  SELECT session_id, max(generation) AS latest_generation
  FROM session_generations
  PREWHERE workspace = :workspace AND has(:session_ids, session_id)
  GROUP BY session_id
)
SELECT s.workspace, s.session_id, s.trace_id, s.span_id, s.parent_span_id, s.source_format, s.kind, s.name, s.status,
       s.start_time, s.end_time, s.attributes_string, s.attributes_number, s.attributes_bool, '', '', l.latest_generation, 1
FROM (
  SELECT *
  FROM spans FINAL
  -- key columns before FINAL: exact, since every version of a span shares its key
  PREWHERE workspace = :workspace AND has(:session_ids, session_id)
  WHERE is_deleted = 0 AND source_format = 'atif' AND trace_id = session_id
) AS s
INNER JOIN latest AS l ON l.session_id = s.session_id
WHERE s.event_ts < l.latest_generation
