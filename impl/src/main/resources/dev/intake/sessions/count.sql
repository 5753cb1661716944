-- Number of an experiment's sessions matching the filters (same predicates as page.sql). It reads only the key
-- and filter columns of the experiment's key range.
SELECT count() AS total
FROM experiment_sessions FINAL
PREWHERE workspace = :workspace AND experiment_id = :experiment_id
WHERE is_deleted = 0
  AND (:status IS NULL OR status = :status)
  AND (:test_case_id IS NULL OR test_case_id = :test_case_id)
SETTINGS log_comment = 'sessions/count.sql'
