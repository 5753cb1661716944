-- One page of an experiment's sessions in the index's order (started_at, root_span_id, session_id) that skips rows
-- (a page=N > 1; a page that skips none, or any other order, is page.sql), with the number of sessions that match
-- the filters, in one statement. Composed by SessionQuery from fixed parts at its marker comments:
-- SESSION_KEY_RANGE (key-range.sql), SESSION_FILTER (filter.sql), SESSION_ORDER_BY (the index order), TEXT_COLUMNS
-- (input and output as the mode wants them) and the KEYS_ parts below. Every value is bound.
-- * Keys first: page_keys finds the page's rows reading only the narrow columns the filters and the order need;
--   the outer read fetches the wide columns (input, output) of those rows only, by their full key, which the
--   primary index turns into a few granules. The rows skipped before the page never have their texts read.
-- * Key columns go in PREWHERE, before FINAL's replacing merge: exact, because every version of a row shares its
--   key. The other filters are checked after FINAL, on the current version (the outer read checks is_deleted
--   again: same statement, same parts, so it sees the versions page_keys saw).
-- * counters, total, list_version: when the filters are only status and test case (or none), the total is the sum
--   of the experiment's pre-counted sessions in experiment_counters (a few rows, kept current by every write in the
--   statement that writes the index row; see V012__experiment_counters); otherwise the same predicates, counted in
--   a scalar subquery of the same statement (no second round trip). list_version is the experiment's write count
--   (the ETag's version), read before the page's rows, so an answer is never older than its version.
-- * KEYS_ORDER_BY, KEYS_LIMIT: the order and :limit OFFSET :offset; for a page in the second half of a
--   pre-counted list, the reversed order, offset from the end (total - offset - limit), so a last page is as
--   short a read as the first (the outer ORDER BY puts the rows back in list order).
-- * KEYS_FROM: `1`, or for a page read from the end, the start of the list's tail that should hold it
--   (counters.sql, tail_start): FINAL's merge reads in key order only forwards, so a reversed read through FINAL
--   would merge the whole experiment before its LIMIT; bounded to the tail, it merges a few granules. The bound is
--   a guess and the caller checks it: the page is right exactly when it holds as many rows as the total says it
--   should, and otherwise is read again with `1` here.
-- * read_at: the engine's clock when the page was read; the next page's cursor carries it as :snapshot, so a walk
--   keeps exactly the sessions indexed before it started (first_indexed_at, see refresh.sql).
-- * READ_SETTINGS and KEYS_SETTINGS: the statement and page_keys run with max_threads = 1 and max_block_size = 256
--   (the index granularity): a page is a short in-order read, and one in-order stream that stops at the LIMIT
--   beats several parallel ones reading whole blocks (a scanned count was measured no slower with them).
-- An experiment that does not exist has no rows here (deleting one retires its rows); an empty answer is told
-- apart from an unknown experiment by the caller (SessionsQuery) with a second statement.
WITH /*COUNTERS*/ AS counters,
page_keys AS (
    SELECT started_at, root_span_id, session_id
    FROM experiment_sessions FINAL
    PREWHERE /*SESSION_KEY_RANGE*/
      AND /*KEYS_FROM*/
    WHERE /*SESSION_FILTER*/
    ORDER BY /*KEYS_ORDER_BY*/
    LIMIT /*KEYS_LIMIT*/
    SETTINGS /*KEYS_SETTINGS*/
)
SELECT session_id, test_case_id, trace_id, root_span_id, started_at, ended_at, latency_ms, status,
       /*TEXT_COLUMNS*/,
       input_tokens, output_tokens, cached_tokens, cost_micro_usd, evaluator_scores,
       /*TOTAL*/ AS total, counters.2 AS list_version,
       now64(6, 'UTC') AS read_at
FROM experiment_sessions FINAL
PREWHERE workspace = :workspace AND experiment_name = :experiment_name
  AND (started_at, root_span_id, session_id) IN page_keys
WHERE is_deleted = 0
ORDER BY /*SESSION_ORDER_BY*/
/*READ_SETTINGS*/
