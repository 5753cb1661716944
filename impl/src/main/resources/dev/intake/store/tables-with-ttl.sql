-- Tables of our database that currently have a table TTL (REMOVE TTL is an error on the others). On a cluster the
-- TTL sits on each table's local part (t_local, see Topology): reported under the table's own name.
SELECT replaceRegexpOne(name, '_local$', '') AS name
FROM system.tables
WHERE database = currentDatabase() AND create_table_query LIKE '% TTL %'
