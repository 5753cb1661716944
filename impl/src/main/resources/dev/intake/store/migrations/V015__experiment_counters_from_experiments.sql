-- Every write of an experiment row (create, update, delete) is one write of that experiment's version and of the
-- workspace's experiment list (experiment_name ''), in the same statement.
CREATE MATERIALIZED VIEW IF NOT EXISTS experiment_counters_from_experiments TO experiment_counters AS
SELECT workspace, scope AS experiment_name, '' AS status, '' AS test_case_id, toInt64(0) AS sessions,
       toUInt64(1) AS writes, now64(6, 'UTC') AS changed_at
FROM experiments
ARRAY JOIN [name, ''] AS scope
