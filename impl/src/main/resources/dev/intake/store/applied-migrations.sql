-- Versions already applied, with the checksum of the file that applied them.
SELECT version, checksum FROM schema_migrations FINAL ORDER BY version
