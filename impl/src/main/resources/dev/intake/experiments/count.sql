-- Number of live experiments matching the list filters (same predicates as list.sql).
SELECT count() AS total
FROM experiments FINAL
PREWHERE workspace = :workspace
WHERE is_deleted = 0
  AND (:name IS NULL OR name = :name)
  AND (:agent_name IS NULL OR agent_name = :agent_name)
  AND (:dataset_name IS NULL OR dataset_name = :dataset_name)
