-- Number of an experiment's sessions matching the filters (same predicates as page.sql); used only when a page
-- comes back empty, together with the experiment lookup that tells "empty" from "unknown".
SELECT count() AS total
FROM experiment_sessions FINAL
PREWHERE workspace = :workspace AND experiment_name = :experiment_name
WHERE /*include session-filters.sql*/
SETTINGS max_threads = 1, log_comment = 'sessions/count.sql'
