-- Named fragments (not a statement): the sessions of one experiment, as predicates on the session index's key
-- columns only, so that they can go in PREWHERE before FINAL (exact: every version of a row shares its key) and the
-- engine reads one key range. SessionQuery joins with AND the fragments a query needs (`experiment` always, the
-- others when their parameter is given) and puts them at the SESSION_KEY_RANGE marker of a statement; a fragment
-- left out costs nothing, where a "NULL matches all" predicate could still make the engine read its column.
-- name: experiment
workspace = :workspace AND experiment_name = :experiment_name
-- name: started_after
started_at >= :started_after
-- name: started_before
started_at <= :started_before
