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
-- :workspace, :session_ids Array(String)
INSERT INTO experiment_sessions
  (workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
   input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
   boolean_evaluators, version, first_indexed_at, is_deleted, count_changes)
WITH
  scope AS (SELECT arrayJoin(:session_ids) AS session_id),
  latest AS (
    SELECT session_id, latest_generation AS generation, latest_span_count AS span_count,
           latest_result_count AS result_count
    FROM (
      SELECT session_id, max(generation) AS latest_generation,
             argMax(span_count, generation) AS latest_span_count,
             argMax(result_count, generation) AS latest_result_count
      FROM session_generations
      PREWHERE workspace = :workspace AND session_id IN scope
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
      PREWHERE workspace = :workspace AND session_id IN scope
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
        PREWHERE workspace = :workspace AND session_id IN scope
        WHERE is_deleted = 0
          AND (ifNull(created_by, '') != 'intake:atif_importer'
               OR (session_id, ingested_at) IN (SELECT session_id, generation FROM latest)))
      GROUP BY session_id, name)
    GROUP BY session_id
  ),
  published AS (
    SELECT session_id, max(version) AS version
    FROM experiment_sessions FINAL
    PREWHERE workspace = :workspace
    WHERE is_deleted = 0 AND session_id IN scope
    GROUP BY session_id
  ),
  -- when each of these sessions first entered each experiment's index (any key: its start may have moved)
  indexed AS (
    SELECT session_id, experiment_name, min(first_indexed_at) AS first_indexed_at
    FROM experiment_sessions FINAL
    PREWHERE workspace = :workspace
    WHERE is_deleted = 0 AND session_id IN scope
    GROUP BY session_id, experiment_name
  ),
  -- every key of these sessions' index rows (any experiment) with its latest version, deleted or not: what a
  -- fresh row with that key replaces (read without FINAL, so tombstones are seen too)
  keyed AS (
    SELECT experiment_name, started_at, root_span_id, session_id, max(version) AS key_version,
           argMax((is_deleted, CAST(status AS String), test_case_id), version) AS latest
    FROM experiment_sessions
    PREWHERE workspace = :workspace AND session_id IN scope
    GROUP BY experiment_name, started_at, root_span_id, session_id
  ),
  -- sessions whose latest generation is whole and not older than what the list shows, each with its new row's
  -- values; a missing right-hand row counts as 0 rows / no published version / no live experiment (ifNull and
  -- empty checks: whatever join_use_nulls says)
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
           rs.boolean_evaluators AS boolean_evaluators
    FROM latest AS l
    LEFT JOIN span_stats AS sp ON sp.session_id = l.session_id
    LEFT JOIN result_stats AS rs ON rs.session_id = l.session_id
    LEFT JOIN published AS p ON p.session_id = l.session_id
    LEFT JOIN (SELECT name, id, 1 AS live FROM experiments FINAL PREWHERE workspace = :workspace WHERE is_deleted = 0)
      AS e ON e.name = sp.experiment_name
    WHERE ifNull(sp.own_spans, 0) = l.span_count AND ifNull(rs.own_results, 0) = l.result_count
      AND l.generation >= ifNull(p.version, toDateTime64(0, 6, 'UTC'))
  ),
  fresh AS (
    SELECT c.experiment_id AS experiment_id, c.experiment_name AS experiment_name, c.root.1 AS started_at,
           c.root.2 AS root_span_id, c.session_id AS session_id, c.root.3 AS trace_id, c.root.7 AS test_case_id,
           c.root.5 AS status, c.root.6 AS input, c.root.9 AS output, c.root.4 AS ended_at,
           -- whole milliseconds, truncated, from the microsecond endpoints (not from endpoints cut to ms)
           if(c.root.4 IS NULL, NULL,
              toFloat64(intDiv(dateDiff('microsecond', c.root.1, assumeNotNull(c.root.4)), 1000))) AS latency_ms,
           c.input_tokens AS input_tokens, c.output_tokens AS output_tokens, c.cached_tokens AS cached_tokens,
           c.cost_micro_usd AS cost_micro_usd, c.evaluator_scores AS evaluator_scores,
           c.boolean_evaluators AS boolean_evaluators, c.generation AS version,
           -- a LEFT JOIN miss leaves '' (not NULL) in the joined key: such a session is new to this experiment
           if(i.session_id = '', now64(6, 'UTC'), i.first_indexed_at) AS first_indexed_at,
           -- a LEFT JOIN miss leaves '' and the epoch in k: nothing replaced
           if(c.generation >= k.key_version,
              arrayConcat([(CAST(c.root.5 AS String), c.root.7, toInt8(1))],
                          if(k.session_id != '' AND k.latest.1 = 0, [(k.latest.2, k.latest.3, toInt8(-1))], [])),
              []) AS count_changes
    FROM complete AS c
    LEFT JOIN indexed AS i ON i.session_id = c.session_id AND i.experiment_name = c.experiment_name
    LEFT JOIN keyed AS k ON k.session_id = c.session_id AND k.experiment_name = c.experiment_name
      AND k.started_at = c.root.1 AND k.root_span_id = c.root.2
    WHERE c.listed
  ),
  -- index rows of the published sessions, in any experiment of the workspace (the bloom filter on session_id
  -- skips granules); every one whose key the new row does not repeat (or all, when there is no new row) is retired
  stale AS (
    SELECT i.experiment_id AS experiment_id, i.experiment_name AS experiment_name, i.started_at AS started_at,
           i.root_span_id AS root_span_id, i.session_id AS session_id, i.trace_id AS trace_id,
           i.test_case_id AS test_case_id, i.status AS status, i.input AS input, i.output AS output,
           i.ended_at AS ended_at,
           i.latency_ms AS latency_ms, i.input_tokens AS input_tokens, i.output_tokens AS output_tokens,
           i.cached_tokens AS cached_tokens, i.cost_micro_usd AS cost_micro_usd,
           i.evaluator_scores AS evaluator_scores, i.boolean_evaluators AS boolean_evaluators, c.generation AS version,
           i.first_indexed_at AS first_indexed_at,
           [(CAST(i.status AS String), i.test_case_id, toInt8(-1))] AS count_changes
    FROM (
      SELECT * FROM experiment_sessions FINAL
      PREWHERE workspace = :workspace
      WHERE is_deleted = 0 AND session_id IN scope
    ) AS i
    INNER JOIN complete AS c ON c.session_id = i.session_id
    WHERE NOT (c.listed AND i.experiment_name = c.experiment_name AND i.started_at = c.root.1
               AND i.root_span_id = c.root.2)
  )
SELECT :workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id,
       status, input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd,
       evaluator_scores, boolean_evaluators, version, first_indexed_at, 0, count_changes
FROM fresh
UNION ALL
SELECT :workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id,
       status, input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd,
       evaluator_scores, boolean_evaluators, version, first_indexed_at, 1, count_changes
FROM stale
