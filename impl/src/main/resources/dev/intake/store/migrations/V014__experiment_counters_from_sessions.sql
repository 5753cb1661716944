-- Every INSERT into the session index adds, in the same statement, its rows' count changes to experiment_counters
-- and one write per row to the experiment's version (the leading ('', '', 0, 1) element of each row).
CREATE MATERIALIZED VIEW IF NOT EXISTS experiment_counters_from_sessions TO experiment_counters AS
SELECT workspace, experiment_name, change.1 AS status, change.2 AS test_case_id, toInt64(change.3) AS sessions,
       toUInt64(change.4) AS writes, now64(6, 'UTC') AS changed_at
FROM experiment_sessions
ARRAY JOIN arrayPushFront(arrayMap(c -> (c.1, c.2, c.3, 0), count_changes), ('', '', 0, 1)) AS change
