-- Named fragments (not a statement): the live experiments of a workspace that match the list's filters, written once
-- for the page (list.sql) and its total (count.sql), so the two can never disagree. A NULL filter matches everything:
-- the experiments table is small per workspace, so "NULL matches all" costs nothing worth composing around.
-- name: live_in_workspace
PREWHERE workspace = :workspace
WHERE is_deleted = 0
  AND (:name IS NULL OR name = :name)
  AND (:agent_name IS NULL OR agent_name = :agent_name)
  AND (:dataset_name IS NULL OR dataset_name = :dataset_name)
