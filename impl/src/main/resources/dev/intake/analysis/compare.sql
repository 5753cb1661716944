-- Per test case, the two sides of a comparison (baseline and candidate experiments of one workspace): for one
-- evaluator the number of sessions scored, their mean and sample variance, and the mean latency and cost over all
-- of the test case's sessions. One narrow row per test case scored on at least one side; the service runs the
-- tests (Welch, Benjamini–Hochberg, paired tests), which need every test case's summary at once.
-- * Each session counts once with its mean score for the evaluator (the value the session list shows).
-- * varSamp of one value is NaN, treated as "no variance" by the service (a single repetition).
-- * Sessions without a test case id are not compared.
-- :workspace, :baseline, :candidate, :evaluator
SELECT test_case_id,
       countIf(experiment_name = :baseline AND scored) AS baseline_n,
       avgIf(score, experiment_name = :baseline AND scored) AS baseline_mean,
       varSampIf(score, experiment_name = :baseline AND scored) AS baseline_variance,
       countIf(experiment_name = :candidate AND scored) AS candidate_n,
       avgIf(score, experiment_name = :candidate AND scored) AS candidate_mean,
       varSampIf(score, experiment_name = :candidate AND scored) AS candidate_variance,
       avgIf(latency_ms, experiment_name = :baseline) AS baseline_latency_ms,
       avgIf(latency_ms, experiment_name = :candidate) AS candidate_latency_ms,
       avgIf(cost_micro_usd, experiment_name = :baseline) AS baseline_cost_micro_usd,
       avgIf(cost_micro_usd, experiment_name = :candidate) AS candidate_cost_micro_usd
FROM (
  SELECT experiment_name, test_case_id, latency_ms, cost_micro_usd,
         mapContains(evaluator_scores, :evaluator) AS scored, evaluator_scores[:evaluator] AS score
  FROM experiment_sessions FINAL
  -- key columns before FINAL: exact, since every version of a row shares its key; both experiments are two
  -- contiguous key ranges
  PREWHERE workspace = :workspace AND experiment_name IN (:baseline, :candidate)
  WHERE is_deleted = 0 AND test_case_id != ''
)
GROUP BY test_case_id
HAVING baseline_n > 0 OR candidate_n > 0
