-- The record of applied migrations: one row per migration version. Re-running a migration is skipped when its
-- version is here. ReplacingMergeTree on applied_at so a re-recorded version keeps one row.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version
