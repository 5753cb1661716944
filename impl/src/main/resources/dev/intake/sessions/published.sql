-- Which of the candidates of publish-new.sql it wrote: the sessions whose index row of this generation is live.
-- The insert cannot say which rows its guard let through, so this asks; a session missing here gets the full
-- refresh (refresh.sql is safe to run for a session already published: it writes the same row again and its count
-- changes cancel out).
-- :workspace, :experiment_names Array(String), :session_ids Array(String), :generation
SELECT DISTINCT session_id
FROM experiment_sessions
PREWHERE workspace = :workspace AND experiment_name IN (SELECT arrayJoin(:experiment_names))
WHERE session_id IN (SELECT arrayJoin(:session_ids)) AND version = :generation AND is_deleted = 0
