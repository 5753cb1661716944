-- Recomputes the session-index rows of some ingested sessions from their current spans and results, and retires
-- index rows of those sessions that no longer hold (another experiment, a moved start or root). One statement for
-- all sessions of an ingest request, whatever their experiments.
-- Run by ingest after the spans and results are written and their generation recorded (ingest/*.sql), so a
-- session appears in the list only when complete; it is the span-level definition of the list's values,
-- evaluated once per ingest instead of once per read:
--   * the session's experiment is the one its ATIF trajectory names (experiment.id of the trajectory's root), if
--     that experiment is live; its row is its earliest root span carrying that name (ties by span id);
--   * tokens and cost are sums over ALL the session's current spans, NULL when no span carries the metric;
--   * scores are means per evaluator name over current NUMERIC and BOOLEAN results that have a value;
--   * first_indexed_at is when the session first entered this experiment's index, kept by every later refresh
--     (a cursor walk keeps the sessions indexed before it started); the engine's clock, like the walk's bound.
-- Generations (see store/migrations/V009__session_generations.sql): the session's ATIF spans and results count
-- only when they belong to its latest recorded generation; other producers' rows always count. A session is
-- published only when every row of that generation is visible (a newer generation still being written may already
-- have replaced some; its own ingest publishes it once recorded), and only when the generation is not older than
-- the session's published row. Index rows are versioned with the generation they were computed from, so of two
-- concurrent refreshes the one computed from the newer generation wins.
-- Counts (store/migrations/V012__experiment_counters.sql): each written row says in count_changes what it changes
-- in its experiment's session counts; the view of V014 adds that in this same statement. A fresh row adds its
-- (status, test case) and takes away the live row it replaces under the same key, only if it wins against the
-- latest version of that key (a delete's tombstone may be newer); a tombstone takes away the row it retires.
-- Cost: for a few sessions the statement's time is mostly planning its reads, so the sessions' live index rows are
-- read once with FINAL (they give the published version, first_indexed_at and the rows to retire) and `complete`
-- is evaluated once: the new rows and the tombstones both come out of one ARRAY JOIN over each session's rows.
-- :workspace, :session_ids Array(String)
/*INSERT_INDEX_ROWS*/
WITH
  latest AS (
    SELECT session_id, latest_generation AS generation, latest_span_count AS span_count,
           latest_result_count AS result_count
    FROM (
      SELECT session_id, max(generation) AS latest_generation,
             argMax(span_count, generation) AS latest_span_count,
             argMax(result_count, generation) AS latest_result_count
      FROM session_generations
      PREWHERE workspace = :workspace AND has(:session_ids, session_id)
      GROUP BY session_id)
  ),
  -- one pass over the sessions' current spans: how many of the latest generation are visible, the experiment the
  -- trajectory names (on its own root), every root as a candidate row, and the sums
  span_stats AS (
    SELECT session_id,
      countIf(own) AS own_spans,
      anyIf(attributes_string['experiment.id'], own AND parent_span_id = '') AS experiment_name,
      groupArrayIf((start_time, span_id, trace_id, end_time, status, input, attributes_string['test_case.id'],
                    attributes_string['experiment.id'], output), parent_span_id = '') AS roots,
      if(countIf(mapContains(attributes_number, 'llm.token_count.prompt')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.prompt'], mapContains(attributes_number, 'llm.token_count.prompt')))) AS input_tokens,
      if(countIf(mapContains(attributes_number, 'llm.token_count.completion')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.completion'], mapContains(attributes_number, 'llm.token_count.completion')))) AS output_tokens,
      if(countIf(mapContains(attributes_number, 'llm.token_count.cached')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.cached'], mapContains(attributes_number, 'llm.token_count.cached')))) AS cached_tokens,
      -- cost.total holds integer micro-USD; round() only guards the float sum, the values are whole numbers
      if(countIf(mapContains(attributes_number, 'cost.total')) = 0, NULL,
         toInt64(round(sumIf(attributes_number['cost.total'], mapContains(attributes_number, 'cost.total'))))) AS cost_micro_usd
    FROM (
      SELECT session_id, span_id, trace_id, parent_span_id, status, start_time, end_time, input, output, attributes_string,
             attributes_number, source_format = 'atif' AND trace_id = session_id AS own
      FROM spans FINAL
      -- key columns before FINAL: exact, since every version of a span shares its key
      PREWHERE workspace = :workspace AND has(:session_ids, session_id)
      WHERE is_deleted = 0
        -- the session's own ATIF spans count only in its latest recorded generation; other producers' always
        AND (NOT (source_format = 'atif' AND trace_id = session_id)
             OR (session_id, event_ts) IN (SELECT session_id, generation FROM latest)))
    GROUP BY session_id
  ),
  -- one pass over the sessions' current results: how many of the latest generation are visible, and the means;
  -- boolean_evaluators: the names whose scored results are all BOOLEAN, so statistics can report a pass rate
  result_stats AS (
    SELECT session_id, sum(own_results) AS own_results,
           CAST((groupArrayIf(name, scored > 0), groupArrayIf(mean, scored > 0)), 'Map(String, Float64)') AS evaluator_scores,
           groupArrayIf(name, scored > 0 AND scored_boolean = scored) AS boolean_evaluators
    FROM (
      SELECT session_id, name, countIf(own) AS own_results,
             countIf(data_type IN ('NUMERIC', 'BOOLEAN') AND value IS NOT NULL) AS scored,
             countIf(data_type = 'BOOLEAN' AND value IS NOT NULL) AS scored_boolean,
             avgIf(value, data_type IN ('NUMERIC', 'BOOLEAN') AND value IS NOT NULL) AS mean
      FROM (
        SELECT session_id, name, data_type, value, ifNull(created_by, '') = 'intake:atif_importer' AS own
        FROM evaluator_results FINAL
        PREWHERE workspace = :workspace AND has(:session_ids, session_id)
        WHERE is_deleted = 0
          AND (ifNull(created_by, '') != 'intake:atif_importer'
               OR (session_id, ingested_at) IN (SELECT session_id, generation FROM latest)))
      GROUP BY session_id, name)
    GROUP BY session_id
  ),
  -- the sessions' live index rows, read once: the list's current rows of each session, in any experiment of the
  -- workspace (the bloom filter on session_id skips granules). They give the published version, when the session
  -- first entered each experiment's index (any key: its start may have moved), and the rows a refresh retires.
  existing AS (
    SELECT session_id, max(version) AS published_version,
           groupArray((experiment_id, experiment_name, started_at, root_span_id, trace_id, test_case_id, status, input,
                       output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd,
                       evaluator_scores, boolean_evaluators, first_indexed_at)) AS live_rows
    FROM experiment_sessions FINAL
    PREWHERE workspace = :workspace
    WHERE is_deleted = 0 AND has(:session_ids, session_id)
    GROUP BY session_id
  ),
  -- every key of these sessions' index rows (any experiment) with its latest version, deleted or not: what a
  -- fresh row with that key replaces (read without FINAL, so tombstones are seen too)
  keyed AS (
    SELECT experiment_name, started_at, root_span_id, session_id, max(version) AS key_version,
           argMax((is_deleted, CAST(status AS String), test_case_id), version) AS latest
    FROM experiment_sessions
    PREWHERE workspace = :workspace AND has(:session_ids, session_id)
    GROUP BY experiment_name, started_at, root_span_id, session_id
  ),
  -- sessions whose latest generation is whole and not older than what the list shows, each with its new row's
  -- values and its live rows; a missing right-hand row counts as 0 rows / no published version / no live rows / no
  -- live experiment (ifNull and empty checks: whatever join_use_nulls says)
  complete AS (
    SELECT l.session_id AS session_id, l.generation AS generation, sp.experiment_name AS experiment_name,
           -- the row's root: the earliest root carrying the trajectory's experiment (ties by span id)
           arraySort(arrayFilter(r -> r.8 = sp.experiment_name, sp.roots))[1] AS root,
           -- a row only for a trajectory that names an experiment which is still live (a delete that raced this
           -- ingest has already retired the experiment's rows) and has a root carrying its name
           sp.experiment_name != '' AND notEmpty(root.2) AND ifNull(e.live, 0) = 1 AS listed,
           e.id AS experiment_id,
           sp.input_tokens AS input_tokens, sp.output_tokens AS output_tokens, sp.cached_tokens AS cached_tokens,
           sp.cost_micro_usd AS cost_micro_usd, rs.evaluator_scores AS evaluator_scores,
           rs.boolean_evaluators AS boolean_evaluators, x.live_rows AS live_rows
    FROM latest AS l
    LEFT JOIN span_stats AS sp ON sp.session_id = l.session_id
    LEFT JOIN result_stats AS rs ON rs.session_id = l.session_id
    LEFT JOIN existing AS x ON x.session_id = l.session_id
    LEFT JOIN (SELECT name, id, 1 AS live FROM experiments FINAL PREWHERE workspace = :workspace WHERE is_deleted = 0)
      AS e ON e.name = sp.experiment_name
    WHERE ifNull(sp.own_spans, 0) = l.span_count AND ifNull(rs.own_results, 0) = l.result_count
      AND l.generation >= ifNull(x.published_version, toDateTime64(0, 6, 'UTC'))
  ),
  -- each complete session once, with the latest version of its new row's key; row 0 of `emitted` is the new row (when
  -- listed), rows 1.. index the live rows it retires: every one whose key the new row does not repeat (all of them
  -- when there is no new row). One evaluation of `complete` yields both the new rows and the tombstones.
  planned AS (
    SELECT c.session_id AS session_id, c.generation AS generation, c.experiment_name AS experiment_name,
           c.root AS root, c.experiment_id AS experiment_id, c.input_tokens AS input_tokens,
           c.output_tokens AS output_tokens, c.cached_tokens AS cached_tokens, c.cost_micro_usd AS cost_micro_usd,
           c.evaluator_scores AS evaluator_scores, c.boolean_evaluators AS boolean_evaluators,
           c.live_rows AS live_rows,
           -- the new row's first_indexed_at: the earliest of the session's live rows in this experiment, or now
           arrayMap(r -> r.18, arrayFilter(r -> r.2 = c.experiment_name, c.live_rows)) AS indexed,
           if(empty(indexed), now64(6, 'UTC'), arrayMin(indexed)) AS first_indexed_at,
           -- a LEFT JOIN miss leaves '' and the epoch in k: nothing replaced
           if(c.generation >= k.key_version,
              arrayConcat([(CAST(c.root.5 AS String), c.root.7, toInt8(1))],
                          if(k.session_id != '' AND k.latest.1 = 0, [(k.latest.2, k.latest.3, toInt8(-1))], [])),
              []) AS fresh_count_changes,
           arrayConcat(if(c.listed, [0], []),
                       arrayFilter(n -> NOT (c.listed AND c.live_rows[n].2 = c.experiment_name
                                             AND c.live_rows[n].3 = c.root.1 AND c.live_rows[n].4 = c.root.2),
                                   arrayEnumerate(c.live_rows))) AS emitted
    FROM complete AS c
    LEFT JOIN keyed AS k ON k.session_id = c.session_id AND k.experiment_name = c.experiment_name
      AND k.started_at = c.root.1 AND k.root_span_id = c.root.2
  )
-- n = 0: the new row; n > 0: a tombstone of live row n, at the new generation, taking that row away from the counts
SELECT :workspace,
       if(n = 0, experiment_id, live_rows[n].1),
       if(n = 0, experiment_name, live_rows[n].2),
       if(n = 0, root.1, live_rows[n].3),
       if(n = 0, root.2, live_rows[n].4),
       session_id,
       if(n = 0, root.3, live_rows[n].5),
       if(n = 0, root.7, live_rows[n].6),
       if(n = 0, root.5, live_rows[n].7),
       if(n = 0, root.6, live_rows[n].8),
       if(n = 0, root.9, live_rows[n].9),
       if(n = 0, root.4, live_rows[n].10),
       -- whole milliseconds, truncated, from the microsecond endpoints (not from endpoints cut to ms)
       if(n = 0,
          if(root.4 IS NULL, NULL, toFloat64(intDiv(dateDiff('microsecond', root.1, assumeNotNull(root.4)), 1000))),
          live_rows[n].11),
       if(n = 0, input_tokens, live_rows[n].12),
       if(n = 0, output_tokens, live_rows[n].13),
       if(n = 0, cached_tokens, live_rows[n].14),
       if(n = 0, cost_micro_usd, live_rows[n].15),
       if(n = 0, evaluator_scores, live_rows[n].16),
       if(n = 0, boolean_evaluators, live_rows[n].17),
       generation,
       if(n = 0, first_indexed_at, live_rows[n].18),
       toUInt8(n != 0),
       if(n = 0, fresh_count_changes, [(CAST(live_rows[n].7 AS String), live_rows[n].6, toInt8(-1))])
FROM planned
ARRAY JOIN emitted AS n
