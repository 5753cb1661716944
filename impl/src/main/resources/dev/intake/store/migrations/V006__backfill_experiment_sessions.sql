-- Backfill of the session index from spans written before the index existed: one row per session of every live
-- experiment, from its earliest root span carrying that experiment's name (ties by span id), with token and cost
-- sums over all the session's current spans and score means over its current NUMERIC/BOOLEAN results.
-- Idempotent: rows already present get a newer version with the same values.
INSERT INTO experiment_sessions
  (workspace, experiment_id, experiment_name, started_at, root_span_id, session_id, trace_id, test_case_id, status,
   input, ended_at, latency_ms, input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
   version, is_deleted)
WITH
  live_experiments AS (
    SELECT workspace, name, id FROM experiments FINAL WHERE is_deleted = 0
  ),
  current_spans AS (
    SELECT * FROM spans FINAL WHERE is_deleted = 0
  ),
  roots AS (
    SELECT workspace, session_id, trace_id, span_id, start_time, end_time, status, input,
           attributes_string['experiment.id'] AS experiment_name, attributes_string['test_case.id'] AS test_case_id
    FROM current_spans
    WHERE parent_span_id = '' AND attributes_string['experiment.id'] != ''
    ORDER BY start_time, span_id
    LIMIT 1 BY workspace, session_id, experiment_name
  ),
  sums AS (
    SELECT workspace, session_id,
      if(countIf(mapContains(attributes_number, 'llm.token_count.prompt')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.prompt'], mapContains(attributes_number, 'llm.token_count.prompt')))) AS input_tokens,
      if(countIf(mapContains(attributes_number, 'llm.token_count.completion')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.completion'], mapContains(attributes_number, 'llm.token_count.completion')))) AS output_tokens,
      if(countIf(mapContains(attributes_number, 'llm.token_count.cached')) = 0, NULL,
         toInt64(sumIf(attributes_number['llm.token_count.cached'], mapContains(attributes_number, 'llm.token_count.cached')))) AS cached_tokens,
      if(countIf(mapContains(attributes_number, 'cost.total')) = 0, NULL,
         toInt64(round(sumIf(attributes_number['cost.total'], mapContains(attributes_number, 'cost.total'))))) AS cost_micro_usd
    FROM current_spans
    GROUP BY workspace, session_id
  ),
  scores AS (
    SELECT workspace, session_id, CAST((groupArray(name), groupArray(mean)), 'Map(String, Float64)') AS evaluator_scores
    FROM (
      SELECT workspace, session_id, name, avg(value) AS mean
      FROM evaluator_results FINAL
      WHERE is_deleted = 0 AND data_type IN ('NUMERIC', 'BOOLEAN') AND value IS NOT NULL
      GROUP BY workspace, session_id, name)
    GROUP BY workspace, session_id
  )
SELECT r.workspace, e.id, r.experiment_name, r.start_time, r.span_id, r.session_id, r.trace_id, r.test_case_id,
       r.status, r.input, r.end_time,
       if(r.end_time IS NULL, NULL, toFloat64(dateDiff('millisecond', r.start_time, r.end_time))),
       s.input_tokens, s.output_tokens, s.cached_tokens, s.cost_micro_usd, sc.evaluator_scores,
       now64(6, 'UTC'), 0
FROM roots AS r
INNER JOIN live_experiments AS e ON e.workspace = r.workspace AND e.name = r.experiment_name
LEFT JOIN sums AS s ON s.workspace = r.workspace AND s.session_id = r.session_id
LEFT JOIN scores AS sc ON sc.workspace = r.workspace AND sc.session_id = r.session_id
