-- One page of an experiment's sessions in list order (started_at, root_span_id), with the number of sessions that
-- match the filters, in one statement: the session index keeps one experiment's sessions as one contiguous,
-- already sorted key range, so the page reads the first rows of that range and nothing per span.
-- * Which rows: matching-sessions.sql (key columns before FINAL, filters after it).
-- * total: the same rows, counted in a scalar subquery of the same statement (no second round trip).
-- * max_threads = 1 and max_block_size = 256 (the index granularity): a page is a short in-order read, and on a
--   small machine one in-order stream that stops at the LIMIT beats several parallel ones reading whole blocks.
-- An experiment that does not exist has no rows here (deleting one retires its rows); an empty answer is told
-- apart from an unknown experiment by the caller (SessionsQuery) with a second statement.
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status, input,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       (SELECT count() /*include matching-sessions.sql*/) AS total
/*include matching-sessions.sql*/
ORDER BY started_at, root_span_id
LIMIT :limit OFFSET :offset
SETTINGS max_threads = 1, max_block_size = 256, log_comment = 'sessions/page.sql'
