-- The write count of one or two scopes of a workspace (experiment names; '' for the workspace's experiment list):
-- the version behind an ETag. It only grows, and every write that can change an answer about a scope adds to it in
-- the statement that writes (the views of store/migrations/V014 and V015). One or two small key ranges.
SELECT sum(writes) AS writes
FROM experiment_counters
PREWHERE workspace = :workspace AND experiment_name IN (:scope, :other_scope)
-- one small read: a single thread starts faster than a pool
SETTINGS max_threads = 1
