-- The live experiment with this name, if any. FINAL gives the latest version of each row; deleted rows are
-- dropped after it. Key columns go in PREWHERE: every version of a row shares its key, so filtering before the
-- replacing merge is exact and reads one key range.
SELECT id, workspace, name, agent_name, agent_version, dataset_name, dataset_version, experiment_group_id,
       source_link, metadata, description, summary, created_at, updated_at
FROM experiments FINAL
PREWHERE workspace = :workspace AND name = :name
WHERE is_deleted = 0
-- one live row per name (see create.sql); should a stale claim ever get in, the earliest holds the name
ORDER BY created_at, id
LIMIT 1
