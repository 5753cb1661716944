-- Number of an experiment's sessions matching the filters (the same fragments as page.sql); used only when a page
-- comes back empty, together with the experiment lookup that tells "empty" from "unknown".
SELECT count() AS total
FROM experiment_sessions FINAL
PREWHERE /*SESSION_KEY_RANGE*/
WHERE /*SESSION_FILTER*/
SETTINGS max_threads = 1
