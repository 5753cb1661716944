-- Number of an experiment's sessions matching the filters (the rows of page.sql, matching-sessions.sql); used only
-- when a page comes back empty, together with the experiment lookup that tells "empty" from "unknown".
SELECT count() AS total
/*include matching-sessions.sql*/
SETTINGS max_threads = 1, log_comment = 'sessions/count.sql'
