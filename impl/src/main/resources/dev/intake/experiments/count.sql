-- Number of live experiments matching the list filters (filter.sql, the same fragment as list.sql).
SELECT count() AS total
FROM experiments FINAL
/*EXPERIMENT_FILTER*/
