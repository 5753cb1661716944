-- Named fragments (not a statement): the EVALUATOR_NAMES part of export.sql, by format.
-- * csv: every evaluator name of the sessions the export selects, sorted, as a scalar subquery of the same
--   statement (see export.sql); it holds the list's own markers, which SessionQuery.compose fills in after it.
-- * ndjson: no header, so no names and no second read of the selection.
-- name: csv
(SELECT arraySort(groupUniqArrayArray(mapKeys(evaluator_scores)))
 FROM experiment_sessions FINAL
 PREWHERE /*SESSION_KEY_RANGE*/
 WHERE /*SESSION_FILTER*/)
-- name: ndjson
CAST([] AS Array(String))
