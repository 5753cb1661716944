-- The session index learns which of a session's evaluators are BOOLEAN (every result of that name is a boolean),
-- so statistics can report a pass rate for them without reading evaluator_results: that table is ordered by
-- session, and finding the types of one experiment's evaluators there means reading every session's results.
-- Rows written before this column existed get [] and are filled in by the next migration.
ALTER TABLE experiment_sessions ADD COLUMN IF NOT EXISTS boolean_evaluators Array(LowCardinality(String)) DEFAULT []
  AFTER evaluator_scores
