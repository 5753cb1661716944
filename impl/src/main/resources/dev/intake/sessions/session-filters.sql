-- The list's filters, included by every statement that reads an experiment's sessions (page, count, export) so a
-- filter means the same everywhere. Checked after FINAL, on the current version of each row: status and
-- test_case_id are not key columns. A NULL filter matches everything (one statement for every combination).
is_deleted = 0
  AND (:status IS NULL OR status = :status)
  AND (:test_case_id IS NULL OR test_case_id = :test_case_id)
