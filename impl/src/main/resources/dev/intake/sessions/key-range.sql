-- Fragment (not a statement): the sessions of one experiment, as predicates on the session index's key columns
-- only, so that they can go in PREWHERE before FINAL (exact: every version of a row shares its key) and the
-- engine reads one key range. Composed into statements at the marker SESSION_KEY_RANGE (SessionQuery).
-- A NULL bound matches everything.
workspace = :workspace AND experiment_name = :experiment_name
  AND (:started_after IS NULL OR started_at >= :started_after)
  AND (:started_before IS NULL OR started_at <= :started_before)
