-- Tables of our database that currently have a table TTL (REMOVE TTL is an error on the others).
SELECT name FROM system.tables WHERE database = currentDatabase() AND create_table_query LIKE '% TTL %'
