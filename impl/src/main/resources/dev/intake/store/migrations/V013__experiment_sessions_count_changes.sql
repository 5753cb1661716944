-- What an index row changes in experiment_counters: (status, test case, +1 or -1) for its experiment, written by
-- the statement that writes the row (it knows which row it replaces) and turned into counter rows by the view of
-- the next migration. Empty by default: a writer that changes no count (a backfill rewriting values) says nothing.
ALTER TABLE experiment_sessions ADD COLUMN IF NOT EXISTS count_changes Array(Tuple(String, String, Int8)) DEFAULT []
