-- Three columns of the session index for the analysis list:
-- * output: the root span's output text (the session's final answer), written by the refresh from now on. Rows
--   written before this migration read '' (shown as null) until their session is ingested again.
-- * first_indexed_at: when the session first entered this experiment's index (the engine's clock at that refresh),
--   carried over unchanged by every later refresh of the session. A cursor walk keeps the sessions with
--   first_indexed_at at or before its start, so sessions ingested during the walk neither appear nor change the
--   total. Rows written before this migration read their last version instead, which is older than any walk.
-- * total_tokens: input + output tokens, NULL when both are NULL; an ALIAS (computed on read, nothing stored) so
--   the sort, the filters and every other reader share one definition.
ALTER TABLE experiment_sessions ADD COLUMN IF NOT EXISTS output String DEFAULT '' CODEC(ZSTD(3)) AFTER input,
  ADD COLUMN IF NOT EXISTS first_indexed_at DateTime64(6, 'UTC') DEFAULT version AFTER version,
  ADD COLUMN IF NOT EXISTS total_tokens Nullable(Int64)
    ALIAS if(input_tokens IS NULL AND output_tokens IS NULL, NULL, coalesce(input_tokens, 0) + coalesce(output_tokens, 0))
