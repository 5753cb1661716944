package dev.intake.sessions;

import dev.intake.api.model.SessionMode;
import dev.intake.store.Columns;
import dev.intake.store.Params;
import dev.intake.store.RowReader;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads an experiment's sessions from the session index. */
final class SessionsQuery {
    private static final String TEXT_COLUMNS = "/*TEXT_COLUMNS*/";
    private static final String AFTER_CURSOR = "/*AFTER_CURSOR*/";
    private static final String READ_SETTINGS = "/*READ_SETTINGS*/";
    private static final String KEYS_SETTINGS = "/*KEYS_SETTINGS*/";
    private static final String COUNTERS = "/*COUNTERS*/";
    private static final String TOTAL = "/*TOTAL*/";
    private static final String KEYS_ORDER_BY = "/*KEYS_ORDER_BY*/";
    private static final String KEYS_LIMIT = "/*KEYS_LIMIT*/";
    private static final String KEYS_FROM = "/*KEYS_FROM*/";
    /** Settings of a page in the index order: statement, then page_keys (see page.sql and page-deep.sql). */
    private static final Map<String, String> IN_ORDER_SETTINGS = Map.of(
            READ_SETTINGS, "SETTINGS max_threads = 1, max_block_size = 256", KEYS_SETTINGS, "max_block_size = 256");
    /** A page in any other order (always page.sql) sorts the filtered experiment: the engine's own settings. */
    private static final Map<String, String> DEFAULT_SETTINGS = Map.of(READ_SETTINGS, "");
    /** Longest input or output text in preview mode, in characters (code points). */
    static final int PREVIEW_CHARS = 300;
    /**
     * input and output as each mode wants them, cut in the engine so a preview page never carries whole texts.
     * Aliases other than the column names: an alias named like a column would replace it in WHERE too.
     */
    private static final Map<SessionMode, String> TEXTS = Map.of(
            SessionMode.DETAILED, "input AS input_text, output AS output_text",
            SessionMode.PREVIEW, preview("input") + " AS input_text, " + preview("output") + " AS output_text",
            SessionMode.SUMMARY, "'' AS input_text, '' AS output_text");

    /**
     * A page of rows, the number of rows matching the filters (0 when the page is empty: see page.sql), the
     * experiment's write count read with it (null when the page is empty), and when the engine read it.
     */
    record Page(List<SessionRow> rows, long total, Long version, Instant readAt) {
    }

    /** A row of page.sql or export.sql: input and output come as input_text and output_text (textColumns). */
    static final RowReader<SessionRow> ROW = rs -> new SessionRow(
            rs.getString("session_id"), rs.getString("test_case_id"), rs.getString("trace_id"),
            rs.getString("root_span_id"), Columns.instant(rs, "started_at"), Columns.instant(rs, "ended_at"),
            Columns.nullableDouble(rs, "latency_ms"), rs.getString("status"), rs.getString("input_text"),
            rs.getString("output_text"), Columns.nullableLong(rs, "input_tokens"),
            Columns.nullableLong(rs, "output_tokens"), Columns.nullableLong(rs, "cached_tokens"),
            Columns.nullableLong(rs, "cost_micro_usd"), Columns.map(rs, "evaluator_scores"));

    private static final Map<String, String> COUNTERS_SQL = Sql.fragments(SessionsQuery.class, "counters.sql");

    private final Store store;
    private final boolean preCounted;
    /**
     * The last total seen per experiment and filters: a hint only, choosing which end a deep page is read from
     * (both are exact); never part of an answer. Bounded: forgets everything when full.
     */
    private final Map<String, Long> lastTotals = new ConcurrentHashMap<>();

    /**
     * @param preCounted whether experiment_counters count the index exactly: not when rows expire by a retention
     *                   TTL (the engine drops them without a count change), then totals are counted per read
     */
    public SessionsQuery(Store store, boolean preCounted) {
        this.store = store;
        this.preCounted = preCounted;
    }

    private static String preview(String column) {
        return "if(lengthUTF8(" + column + ") > " + PREVIEW_CHARS + ", concat(substringUTF8(" + column + ", 1, "
                + PREVIEW_CHARS + "), '\u2026'), " + column + ")";
    }

    /**
     * The TEXT_COLUMNS part of every statement that returns rows (page.sql, export.sql): input and output as
     * {@code mode} wants them, so a mode means the same in the list and in an export.
     */
    static Map<String, String> textColumns(SessionMode mode) {
        return Map.of(TEXT_COLUMNS, TEXTS.get(mode));
    }

    long count(SessionQuery query) {
        return store.query(query.compose(SessionsQuery.class, "count.sql"), query.params(),
                rs -> rs.getLong("total")).get(0);
    }

    /**
     * One page: by offset when {@code cursor} is null, else the rows after the cursor, among the sessions indexed
     * before its walk started.
     */
    Page page(SessionQuery query, SessionMode mode, int limit, long offset, SessionCursor cursor) {
        SessionQuery q = cursor == null ? query : query.asOf(cursor.snapshot());
        Params params = q.params().with("limit", limit).with("offset", offset);
        String after = cursor == null ? "1" : cursor.predicate(q.sort(), params);
        boolean counted = preCounted && cursor == null && q.filter().isPreCounted();
        String hintKey = q.workspace() + "\u0000" + q.experimentName() + "\u0000" + q.canonical();
        Long lastTotal = lastTotals.get(hintKey);
        boolean inIndexOrder = q.sort().isIndexOrder();
        Read read;
        if (!inIndexOrder || offset == 0) {
            read = Read.ONE_PASS; // nothing to skip in a short in-order run, or a sort that reads the experiment
        } else if (counted && lastTotal != null && offset > lastTotal / 2) {
            // at most one page after this one: its texts cost less than finding the keys first
            read = lastTotal - offset <= 2L * limit ? Read.ONE_PASS_FROM_THE_TAIL : Read.FROM_THE_TAIL;
        } else {
            read = Read.KEYS_FIRST;
        }
        Page page = read(q, mode, params, after, counted, read);
        if (read.tailOnly && page.rows().size() < expectedRows(page, limit, offset)) {
            // the tail read from did not hold the page (stale versions or dropped rows in it): read the whole range
            page = read(q, mode, params, after, counted, Read.FROM_THE_END);
        }
        if (counted && !page.rows().isEmpty()) {
            if (lastTotals.size() > 10_000) {
                lastTotals.clear();
            }
            lastTotals.put(hintKey, page.total());
        }
        return page;
    }

    /** How a page is read: its statement and, for page-deep.sql, which end it starts from and how far it merges. */
    private enum Read {
        /** page.sql: one ORDER BY ... LIMIT over the filtered experiment. */
        ONE_PASS("page.sql", false, false),
        /** page.sql from the end, over the tail that should hold the page; its rows come in reverse. */
        ONE_PASS_FROM_THE_TAIL("page.sql", true, true),
        /** page-deep.sql from the start: the page's keys first, then their rows. */
        KEYS_FIRST("page-deep.sql", false, false),
        /** page-deep.sql from the end, over the whole key range. */
        FROM_THE_END("page-deep.sql", true, false),
        /** page-deep.sql from the end, merging only the tail that should hold the page (counters.sql). */
        FROM_THE_TAIL("page-deep.sql", true, true);

        final String statement;
        final boolean reversed;
        final boolean tailOnly;

        Read(String statement, boolean reversed, boolean tailOnly) {
            this.statement = statement;
            this.reversed = reversed;
            this.tailOnly = tailOnly;
        }
    }

    /**
     * How many rows a page at {@code offset} holds by the total read with it; an empty page does not carry its
     * total (see page.sql), so it cannot vouch for itself and counts as short.
     */
    private static long expectedRows(Page page, int limit, long offset) {
        return page.rows().isEmpty() ? 1 : Math.min(limit, Math.max(page.total() - offset, 0));
    }

    private Page read(SessionQuery q, SessionMode mode, Params params, String after, boolean counted, Read read) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put(COUNTERS, COUNTERS_SQL.get("counters").replace("COUNTED", q.filter().countersPredicate()));
        parts.put(TOTAL, COUNTERS_SQL.get(counted ? "counted_total" : "scanned_total"));
        // before KEYS_ORDER_BY: the tail's bound holds that marker too
        parts.put(KEYS_FROM, COUNTERS_SQL.get(read.tailOnly ? "tail_start" : "whole_range"));
        parts.put(KEYS_ORDER_BY, read.reversed ? q.sort().reversedOrderBy() : q.sort().orderBy());
        parts.put(KEYS_LIMIT, COUNTERS_SQL.get(read.reversed ? "reversed_limit" : "forward_limit"));
        parts.putAll(textColumns(mode));
        parts.put(AFTER_CURSOR, after);
        // the index order reads a short run of the key range; any other order sorts the experiment
        parts.putAll(q.sort().isIndexOrder() ? IN_ORDER_SETTINGS : DEFAULT_SETTINGS);
        Sql sql = q.compose(SessionsQuery.class, read.statement, parts);
        long[] total = {0};
        long[] version = {0};
        Instant[] readAt = {null};
        List<SessionRow> rows = store.query(sql, params, rs -> {
            total[0] = rs.getLong("total");
            version[0] = rs.getLong("list_version");
            readAt[0] = Columns.instant(rs, "read_at");
            return ROW.read(rs);
        });
        if (read == Read.ONE_PASS_FROM_THE_TAIL) {
            rows = new ArrayList<>(rows);
            Collections.reverse(rows); // page-deep.sql's outer read restores the order itself
        }
        return new Page(rows, total[0], rows.isEmpty() ? null : version[0], readAt[0]);
    }
}
