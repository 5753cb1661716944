-- The session list's filters as one predicate over experiment_sessions rows (status and test_case_id are not key
-- columns, so the predicate belongs after FINAL, on the current version of a row). A NULL value matches everything,
-- so one statement serves every combination. Included by every statement that must describe exactly the sessions
-- the list returns (the list's page and count, the experiment statistics) at the SESSION FILTERS marker.
-- :status, :test_case_id
(:status IS NULL OR status = :status)
AND (:test_case_id IS NULL OR test_case_id = :test_case_id)
