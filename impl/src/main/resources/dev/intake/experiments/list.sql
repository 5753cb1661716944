-- One page of a workspace's live experiments. A NULL filter matches everything. The ORDER BY clause is chosen by
-- ExperimentsStore from a fixed list (one per sort value), never built from input.
SELECT id, workspace, name, agent_name, agent_version, dataset_name, dataset_version, experiment_group_id,
       source_link, metadata, description, summary, created_at, updated_at
FROM experiments FINAL
PREWHERE workspace = :workspace
WHERE is_deleted = 0
  AND (:name IS NULL OR name = :name)
  AND (:agent_name IS NULL OR agent_name = :agent_name)
  AND (:dataset_name IS NULL OR dataset_name = :dataset_name)
/*ORDER BY*/
LIMIT :limit OFFSET :offset
