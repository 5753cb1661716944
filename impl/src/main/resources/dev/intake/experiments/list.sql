-- One page of a workspace's live experiments (filters: filter.sql). The ORDER BY clause is chosen by
-- ExperimentsStore from a fixed list (one per sort value), never built from input.
SELECT id, workspace, name, agent_name, agent_version, dataset_name, dataset_version, experiment_group_id,
       source_link, metadata, description, summary, created_at, updated_at
FROM experiments FINAL
/*EXPERIMENT_FILTER*/
/*ORDER BY*/
LIMIT :limit OFFSET :offset
