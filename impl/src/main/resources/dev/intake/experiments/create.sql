-- Writes the first version of a new experiment as a claim on its name. Every creator that read the same
-- generation of the name (name-state.sql) sends the same insert_deduplication_token; ClickHouse keeps the first
-- such block and silently drops the others, in one instance or many. The caller then reads which id holds the
-- name: exactly one creator finds its own.
INSERT INTO experiments
  (workspace, name, id, agent_name, agent_version, dataset_name, dataset_version, experiment_group_id, source_link,
   metadata, description, summary, created_at, updated_at, version, is_deleted)
SETTINGS insert_deduplication_token = :claim_token, insert_deduplicate = 1
VALUES
  (:workspace, :name, :id, :agent_name, :agent_version, :dataset_name, :dataset_version, :experiment_group_id,
   :source_link, :metadata, :description, :summary, :created_at, :updated_at, :version, 0)
