-- Recomputes the session-index rows of some sessions of one experiment from their current spans and results, and
-- retires index rows of those sessions that no longer hold (another experiment, a moved start or root).
-- Run by ingest after the spans and results are written, so a session appears in the list only when complete;
-- it is the span-level definition of the list's values, evaluated once per ingest instead of once per read:
--   * the session's row is its earliest root span carrying the experiment's name (ties by span id);
--   * tokens and cost are sums over ALL the session's current spans, NULL when no span carries the metric;
--   * scores are means per evaluator name over current NUMERIC and BOOLEAN results that have a value;
--   * first_indexed_at is when the session first entered this experiment's index, kept by every later refresh
--     (a cursor walk keeps the sessions indexed before it started); the engine's clock, like the walk's bound.
-- :workspace, :experiment_id (UUID), :experiment_name, :session_ids Array(String), :version DateTime64(6)
INSERT INTO experiment_sessions
  (workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
   input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
   version, first_indexed_at, is_deleted)
WITH
  scope AS (SELECT arrayJoin(:session_ids) AS session_id),
  -- the experiment must still be live: a delete that raced this ingest has already retired its rows
  live AS (
    SELECT id FROM experiments FINAL
    PREWHERE workspace = :workspace AND name = :experiment_name
    WHERE is_deleted = 0 AND id = toUUID(:experiment_id)
  ),
  current_spans AS (
    SELECT session_id, trace_id, span_id, parent_span_id, status, start_time, end_time, input, output,
           attributes_string, attributes_number
    FROM spans FINAL
    -- key columns before FINAL: exact, since every version of a span shares its key
    PREWHERE workspace = :workspace AND session_id IN scope
    WHERE is_deleted = 0
  ),
  roots AS (
    SELECT session_id, trace_id, span_id, start_time, end_time, status, input, output,
           attributes_string['test_case.id'] AS test_case_id
    FROM current_spans
    WHERE parent_span_id = '' AND :experiment_name != '' AND attributes_string['experiment.id'] = :experiment_name
    ORDER BY start_time, span_id
    LIMIT 1 BY session_id
  ),
  sums AS (
    SELECT session_id,
      if(countIf(mapContains(attributes_number, 'llm.token_count.prompt')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.prompt'], mapContains(attributes_number, 'llm.token_count.prompt')))) AS input_tokens,
      if(countIf(mapContains(attributes_number, 'llm.token_count.completion')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.completion'], mapContains(attributes_number, 'llm.token_count.completion')))) AS output_tokens,
      if(countIf(mapContains(attributes_number, 'llm.token_count.cached')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.cached'], mapContains(attributes_number, 'llm.token_count.cached')))) AS cached_tokens,
      -- cost.total holds integer micro-USD; round() only guards the float sum, the values are whole numbers
      if(countIf(mapContains(attributes_number, 'cost.total')) = 0, NULL,
         toInt64(round(sumIf(attributes_number['cost.total'], mapContains(attributes_number, 'cost.total'))))) AS cost_micro_usd
    FROM current_spans
    GROUP BY session_id
  ),
  scores AS (
    SELECT session_id, CAST((groupArray(name), groupArray(mean)), 'Map(String, Float64)') AS evaluator_scores
    FROM (
      SELECT session_id, name, avg(value) AS mean
      FROM evaluator_results FINAL
      PREWHERE workspace = :workspace AND session_id IN scope
      WHERE is_deleted = 0 AND data_type IN ('NUMERIC', 'BOOLEAN') AND value IS NOT NULL
      GROUP BY session_id, name)
    GROUP BY session_id
  ),
  -- when each of these sessions first entered this experiment's index (any key: its start may have moved)
  indexed AS (
    SELECT session_id, min(first_indexed_at) AS first_indexed_at
    FROM experiment_sessions FINAL
    PREWHERE workspace = :workspace AND experiment_name = :experiment_name
    WHERE is_deleted = 0 AND session_id IN scope
    GROUP BY session_id
  ),
  fresh AS (
    SELECT r.start_time AS started_at, r.span_id AS root_span_id, r.session_id AS session_id, r.trace_id AS trace_id,
           r.test_case_id AS test_case_id, r.status AS status, r.input AS input, r.output AS output,
           r.end_time AS ended_at,
           if(r.end_time IS NULL, NULL, toFloat64(dateDiff('millisecond', r.start_time, r.end_time))) AS latency_ms,
           s.input_tokens AS input_tokens, s.output_tokens AS output_tokens, s.cached_tokens AS cached_tokens,
           s.cost_micro_usd AS cost_micro_usd, sc.evaluator_scores AS evaluator_scores,
           -- a LEFT JOIN miss leaves '' (not NULL) in the joined key: such a session is new to this experiment
           if(i.session_id = '', now64(6, 'UTC'), i.first_indexed_at) AS first_indexed_at
    FROM roots AS r
    LEFT JOIN sums AS s ON s.session_id = r.session_id
    LEFT JOIN scores AS sc ON sc.session_id = r.session_id
    LEFT JOIN indexed AS i ON i.session_id = r.session_id
    WHERE toUUID(:experiment_id) IN (SELECT id FROM live)
  ),
  -- index rows of these sessions, in any experiment of the workspace (the bloom filter on session_id skips
  -- granules); every one whose key the fresh rows do not repeat is retired
  stale AS (
    SELECT experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status, input,
           output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
           first_indexed_at
    FROM experiment_sessions FINAL
    PREWHERE workspace = :workspace
    WHERE is_deleted = 0 AND session_id IN scope
      AND (experiment_name, started_at, root_span_id, session_id) NOT IN
          (SELECT :experiment_name, started_at, root_span_id, session_id FROM fresh)
  )
SELECT :workspace, toUUID(:experiment_id), :experiment_name, started_at, root_span_id, session_id, trace_id,
       test_case_id, status, input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens,
       cost_micro_usd, evaluator_scores, toDateTime64(:version, 6, 'UTC'), first_indexed_at, 0
FROM fresh
UNION ALL
SELECT :workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id,
       status, input, output, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd,
       evaluator_scores, toDateTime64(:version, 6, 'UTC'), first_indexed_at, 1
FROM stale
