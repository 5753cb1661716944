-- Experiments. Each create, update and delete writes a new version of the row (delete: is_deleted = 1).
-- ORDER BY (workspace, name, id): lookups by name read one key range; `id` is part of the identity so that a
-- deleted experiment and a new one re-using its name are two rows, and the old one's tombstone never hides the new.
CREATE TABLE IF NOT EXISTS experiments (
  workspace LowCardinality(String),
  name String,
  id UUID,
  agent_name String,
  agent_version String,
  dataset_name String,
  dataset_version Nullable(String),
  experiment_group_id Nullable(String),
  source_link Nullable(String),
  metadata String,
  description Nullable(String),
  summary Nullable(String),
  created_at DateTime64(6, 'UTC'),
  updated_at DateTime64(6, 'UTC'),
  version DateTime64(6, 'UTC'),
  is_deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (workspace, name, id)
