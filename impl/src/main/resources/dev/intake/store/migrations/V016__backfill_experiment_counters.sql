-- Counts of the sessions indexed before the counters existed: the list's definition (the current, live rows of
-- the index) per experiment, status and test case. Runs at start-up before any request is served; the token makes
-- a second run (two instances migrating at once) a no-op.
INSERT INTO experiment_counters (workspace, experiment_name, status, test_case_id, sessions, writes, changed_at)
SETTINGS insert_deduplicate = 1, insert_deduplication_token = 'V016__backfill_experiment_counters'
SELECT workspace, experiment_name, status, test_case_id, toInt64(count()), toUInt64(1), max(version)
FROM experiment_sessions FINAL
WHERE is_deleted = 0
GROUP BY workspace, experiment_name, status, test_case_id
