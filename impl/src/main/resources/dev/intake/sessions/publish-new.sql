-- Publishes the index rows of sessions ingested for the first time, computed by the writer from the rows it has
-- just written (the values refresh.sql would compute from them: see SessionsFeature.FirstRow), without reading the
-- sessions' spans and results back through FINAL. The guard makes it exact: a candidate is written only when the
-- generation just written is all the store holds of that session: no span or result of another generation or
-- producer (tombstones included) and no index row of the session in any experiment (tombstones included). Then
-- refresh.sql would read exactly these rows, and find nothing to retire and nothing to take away from the counts.
-- Reads without FINAL, so any version of any row counts. (An older generation whose rows the new one replaced
-- key for key, and that was never published, leaves nothing refresh.sql would read: it needs no check.)
-- The guard and the write are one statement, as refresh.sql's read and write are, and it writes every candidate or
-- none: a candidate the guard refuses (or whose experiment is no longer live) fails the statement with throwIf
-- before anything is written (the few rows are one block, computed whole before the insert writes it), and the
-- writer then takes every session of the write the full way (retirement passes and refresh.sql). So success alone
-- says that every candidate is published, without reading it back.
-- first_indexed_at is the engine's clock, as in refresh.sql; count_changes adds the new row (nothing to replace).
-- The guard's reads name the sessions with has(:session_ids, session_id): the same primary-key and bloom-filter
-- condition as IN over a subquery, without planning the subquery (one such read of the bench's spans alone took
-- ~4 ms against 5.5-8 ms with the subquery; this whole statement ~1.4 ms less on a scratch engine).
-- :workspace, :generation, :session_ids (the candidates' ids), :candidates (NDJSON, one line per session, the
-- columns of `candidates` below)
/*INSERT_INDEX_ROWS*/
WITH
  candidates AS (
    SELECT *
    FROM format(JSONEachRow,
      'session_id String, experiment_name String, started_at DateTime64(6, ''UTC''), root_span_id String,
       test_case_id String, status String, input String, output String, ended_at Nullable(DateTime64(6, ''UTC'')),
       input_tokens Nullable(Int64), output_tokens Nullable(Int64), cached_tokens Nullable(Int64),
       cost_micro_usd Nullable(Int64), evaluator_scores Map(String, Float64), boolean_evaluators Array(String)',
      :candidates)
  ),
  -- every session of the candidates of which the store holds anything besides the generation just written
  touched AS (
    SELECT session_id FROM spans
    PREWHERE workspace = :workspace AND has(:session_ids, session_id)
    WHERE NOT (source_format = 'atif' AND trace_id = session_id AND event_ts = :generation AND is_deleted = 0)
    UNION ALL
    SELECT session_id FROM evaluator_results
    PREWHERE workspace = :workspace AND has(:session_ids, session_id)
    WHERE NOT (ifNull(created_by, '') = 'intake:atif_importer' AND ingested_at = :generation AND is_deleted = 0)
    UNION ALL
    -- any experiment: the bloom filter on session_id skips the granules of other sessions
    SELECT session_id FROM experiment_sessions
    PREWHERE workspace = :workspace
    WHERE has(:session_ids, session_id)
  )
SELECT :workspace, e.id, c.experiment_name, c.started_at, c.root_span_id, c.session_id, c.session_id, c.test_case_id,
       c.status, c.input, c.output, c.ended_at,
       -- whole milliseconds, truncated, from the microsecond endpoints, as refresh.sql computes it
       if(c.ended_at IS NULL, NULL,
          toFloat64(intDiv(dateDiff('microsecond', c.started_at, assumeNotNull(c.ended_at)), 1000))),
       c.input_tokens, c.output_tokens, c.cached_tokens, c.cost_micro_usd, c.evaluator_scores, c.boolean_evaluators,
       :generation, now64(6, 'UTC'), 0, [(c.status, c.test_case_id, toInt8(1))]
FROM candidates AS c
-- only into an experiment that is still live (as refresh.sql's `complete`); a missing one leaves live = 0
LEFT JOIN (SELECT name, id, toUInt8(1) AS live FROM experiments FINAL PREWHERE workspace = :workspace WHERE is_deleted = 0)
  AS e ON e.name = c.experiment_name
WHERE throwIf(ifNull(e.live, 0) = 0 OR c.session_id IN (SELECT session_id FROM touched),
              'not every session of this write is new') = 0
