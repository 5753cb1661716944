-- The sessions of one experiment that match the list's filters: the FROM ... WHERE of every statement that reads
-- them (page, count, export), so a filter means the same everywhere.
-- * Key columns go in PREWHERE, before FINAL's replacing merge: exact, because every version of a row shares its key.
-- * status and test_case_id are not key columns, so they are checked after FINAL, on the current version.
-- * A NULL filter matches everything (one statement for every combination of filters).
FROM experiment_sessions FINAL
PREWHERE workspace = :workspace AND experiment_name = :experiment_name
WHERE is_deleted = 0
  AND (:status IS NULL OR status = :status)
  AND (:test_case_id IS NULL OR test_case_id = :test_case_id)
