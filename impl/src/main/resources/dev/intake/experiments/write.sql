-- Writes one version of an experiment row: a create, an update, or (is_deleted = 1) a delete.
INSERT INTO experiments
  (workspace, name, id, agent_name, agent_version, dataset_name, dataset_version, experiment_group_id, source_link,
   metadata, description, summary, created_at, updated_at, version, is_deleted)
VALUES
  (:workspace, :name, :id, :agent_name, :agent_version, :dataset_name, :dataset_version, :experiment_group_id,
   :source_link, :metadata, :description, :summary, :created_at, :updated_at, :version, :is_deleted)
