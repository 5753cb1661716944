-- Fragment (not a statement): the list's filters on the current version of each session-index row, so they go in
-- WHERE after FINAL (these columns change between versions). Composed into statements at the marker
-- SESSION_FILTER (SessionQuery); the list, its count and every feature that works on "the sessions the list
-- would return" use this one definition.
-- * A NULL parameter matches everything, so one statement serves every combination of filters.
-- * A NULL value never matches a bound on it (NULL >= x is NULL, which WHERE treats as false).
-- * Cost bounds arrive in micro-USD, the stored unit, so the comparison is exact.
-- * Score conditions are three parallel arrays (evaluator name, operator, bound); every one must hold, and a
--   session without that evaluator fails (the map would answer 0 for a missing key, hence mapContains). The
--   casts give the arrays a type when they are empty.
-- * :snapshot bounds a cursor walk to the sessions that were in the index when it started (see page.sql).
is_deleted = 0
  AND (:status IS NULL OR status = :status)
  AND (:test_case_id IS NULL OR test_case_id = :test_case_id)
  AND (:min_latency_ms IS NULL OR latency_ms >= :min_latency_ms)
  AND (:max_latency_ms IS NULL OR latency_ms <= :max_latency_ms)
  AND (:min_cost_micro_usd IS NULL OR cost_micro_usd >= :min_cost_micro_usd)
  AND (:max_cost_micro_usd IS NULL OR cost_micro_usd <= :max_cost_micro_usd)
  AND (:min_total_tokens IS NULL OR total_tokens >= :min_total_tokens)
  AND (:max_total_tokens IS NULL OR total_tokens <= :max_total_tokens)
  AND (:input_contains IS NULL OR positionCaseInsensitiveUTF8(input, :input_contains) > 0)
  AND arrayAll((score_name, score_op, score_bound) ->
        mapContains(evaluator_scores, score_name)
        AND multiIf(score_op = '>=', evaluator_scores[score_name] >= score_bound,
                    score_op = '<=', evaluator_scores[score_name] <= score_bound,
                    score_op = '>', evaluator_scores[score_name] > score_bound,
                    score_op = '<', evaluator_scores[score_name] < score_bound,
                    evaluator_scores[score_name] = score_bound),
        CAST(:score_names, 'Array(String)'), CAST(:score_ops, 'Array(String)'), CAST(:score_bounds, 'Array(Float64)'))
  AND (:snapshot IS NULL OR first_indexed_at <= :snapshot)
