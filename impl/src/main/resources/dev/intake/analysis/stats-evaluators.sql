-- Per evaluator, over the same selection as stats.sql (the list's key range and
-- filter parts at their markers): each session counts once with its mean score for the evaluator (the value the list shows), so n
-- is a number of sessions.
-- * stddev: sample (n - 1); stddevSamp of one value is NaN, which the service reports as null.
-- * An evaluator is BOOLEAN when every session that carries it lists it in boolean_evaluators (all its results
--   there were booleans); passes counts sessions whose mean is exactly 1, i.e. every result was true.
-- :workspace, :experiment_name and the list's filter values (SessionQuery.params)
SELECT name, count() AS n, avg(score) AS mean, stddevSamp(score) AS stddev, min(score) AS min, max(score) AS max,
       min(has(boolean_evaluators, name)) AS is_boolean, countIf(score = 1) AS passes
FROM (
  SELECT evaluator_scores, boolean_evaluators
  FROM experiment_sessions FINAL
  -- the list's own parts: its key range before FINAL (exact: every version of a row shares its key), its filters after
  PREWHERE /*SESSION_KEY_RANGE*/
  WHERE /*SESSION_FILTER*/
)
ARRAY JOIN mapKeys(evaluator_scores) AS name, mapValues(evaluator_scores) AS score
GROUP BY name
ORDER BY name
