-- The session list's definition evaluated from spans and results alone, written independently of the service's
-- SQL (upstream v1 style: the latest version of each span by argMax over (event_ts, is_deleted), no FINAL):
-- one row per session of the experiment = its earliest current root span carrying the experiment's name (ties by
-- span id); token and cost sums over all current spans of the session (NULL when no span has the key); score
-- means per evaluator name over current NUMERIC/BOOLEAN results with a value.
WITH
  span_versions AS (
    SELECT session_id, trace_id, span_id,
      argMax(parent_span_id, (event_ts, is_deleted)) AS parent_span_id,
      argMax(status, (event_ts, is_deleted)) AS status,
      argMax(start_time, (event_ts, is_deleted)) AS start_time,
      argMax(end_time, (event_ts, is_deleted)) AS end_time,
      argMax(input, (event_ts, is_deleted)) AS input,
      argMax(attributes_string, (event_ts, is_deleted)) AS attributes_string,
      argMax(attributes_number, (event_ts, is_deleted)) AS attributes_number,
      argMax(is_deleted, (event_ts, is_deleted)) AS deleted
    FROM spans WHERE workspace = ?
    GROUP BY session_id, trace_id, span_id),
  current_spans AS (SELECT * FROM span_versions WHERE deleted = 0),
  roots AS (
    SELECT session_id, trace_id, span_id AS root_span_id, start_time, end_time, status, input,
           attributes_string['test_case.id'] AS test_case_id
    FROM current_spans
    WHERE parent_span_id = '' AND attributes_string['experiment.id'] = ?
    ORDER BY start_time, root_span_id
    LIMIT 1 BY session_id),
  sums AS (
    SELECT session_id,
      if(countIf(has(mapKeys(attributes_number), 'llm.token_count.prompt')) = 0, NULL, sumIf(attributes_number['llm.token_count.prompt'], has(mapKeys(attributes_number), 'llm.token_count.prompt'))) AS input_tokens,
      if(countIf(has(mapKeys(attributes_number), 'llm.token_count.completion')) = 0, NULL, sumIf(attributes_number['llm.token_count.completion'], has(mapKeys(attributes_number), 'llm.token_count.completion'))) AS output_tokens,
      if(countIf(has(mapKeys(attributes_number), 'llm.token_count.cached')) = 0, NULL, sumIf(attributes_number['llm.token_count.cached'], has(mapKeys(attributes_number), 'llm.token_count.cached'))) AS cached_tokens,
      if(countIf(has(mapKeys(attributes_number), 'cost.total')) = 0, NULL, sumIf(attributes_number['cost.total'], has(mapKeys(attributes_number), 'cost.total')) / 1000000) AS cost_total_usd
    FROM current_spans GROUP BY session_id),
  result_versions AS (
    SELECT session_id, span_id, name, evaluator_result_id,
      argMax(value, (ingested_at, is_deleted)) AS value,
      argMax(data_type, (ingested_at, is_deleted)) AS data_type,
      argMax(is_deleted, (ingested_at, is_deleted)) AS deleted
    FROM evaluator_results WHERE workspace = ?
    GROUP BY session_id, span_id, name, evaluator_result_id),
  scores AS (
    SELECT session_id, mapFromArrays(groupArray(name), groupArray(mean)) AS evaluator_scores
    FROM (SELECT session_id, name, avg(value) AS mean FROM result_versions
          WHERE deleted = 0 AND data_type IN ('NUMERIC', 'BOOLEAN') AND value IS NOT NULL GROUP BY session_id, name)
    GROUP BY session_id)
SELECT r.session_id AS session_id, r.trace_id AS trace_id, r.root_span_id AS root_span_id,
       toString(r.start_time) AS started_at, toString(r.end_time) AS ended_at,
       if(r.end_time IS NULL, NULL, toFloat64(intDiv(dateDiff('microsecond', r.start_time, assumeNotNull(r.end_time)), 1000))) AS latency_ms,
       r.status AS status, nullIf(r.input, '') AS input, nullIf(r.test_case_id, '') AS test_case_id,
       s.input_tokens AS input_tokens, s.output_tokens AS output_tokens, s.cached_tokens AS cached_tokens,
       s.cost_total_usd AS cost_total_usd, sc.evaluator_scores AS evaluator_scores
FROM roots AS r
LEFT JOIN sums AS s ON s.session_id = r.session_id
LEFT JOIN scores AS sc ON sc.session_id = r.session_id
ORDER BY r.start_time, r.root_span_id
