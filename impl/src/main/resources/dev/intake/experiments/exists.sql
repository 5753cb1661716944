-- Whether a live experiment holds this name: find.sql without its columns (ingest, the session list and the
-- analyses only ask whether the name is taken; reading one narrow column makes the lookup cheaper).
SELECT 1
FROM experiments FINAL
-- key columns before FINAL: exact, since every version of a row shares its key
PREWHERE workspace = :workspace AND name = :name
WHERE is_deleted = 0
LIMIT 1
