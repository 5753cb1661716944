package dev.intake.sessions;

import dev.intake.api.model.SpanStatus;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "The sessions of one experiment that the list would return, in its order": the filters and the sort of a session
 * list, parsed once from the query parameters. Every feature that works on that same set (the list, statistics,
 * export) composes its own statement template with the shared SQL parts and binds their values here:
 * <pre>{@code
 * SessionQuery q = SessionQuery.of(workspace, name, SessionFilter.of(...), SessionSort.parse(sort));
 * Sql sql = q.compose(MyFeature.class, "my-statement.sql");   // replaces the marker comments it holds
 * store.query(sql, q.params(), reader);                       // plus the template's own parameters
 * }</pre>
 * Marker comments a template may hold: {@value #KEY_RANGE} (PREWHERE, before FINAL: the experiment's key range
 * and the start-time bounds), {@value #FILTER} (WHERE, after FINAL on {@code experiment_sessions}: every other
 * filter) and {@value #ORDER_BY} (the ORDER BY list, nulls last, with the tie-breaks).
 */
public record SessionQuery(String workspace, String experimentName, SessionFilter filter, SessionSort sort) {
    public static final String KEY_RANGE = "/*SESSION_KEY_RANGE*/";
    public static final String FILTER = "/*SESSION_FILTER*/";
    public static final String ORDER_BY = "/*SESSION_ORDER_BY*/";
    private static final String KEY_RANGE_SQL = Sql.fragment(SessionQuery.class, "key-range.sql");
    private static final String FILTER_SQL = Sql.fragment(SessionQuery.class, "filter.sql");

    public static SessionQuery of(String workspace, String experimentName, SessionFilter filter, SessionSort sort) {
        return new SessionQuery(workspace, experimentName, filter, sort);
    }

    /**
     * Parses the list's query parameters, exactly as the list does (the same 400s for the same mistakes).
     *
     * @throws dev.intake.web.ApiProblemException 400 naming the offending parameter(s)
     */
    public static SessionQuery fromParameters(String workspace, String experimentName, SpanStatus status,
                                              String testCaseId, String sort, Double minLatencyMs,
                                              Double maxLatencyMs, Double minCostTotalUsd, Double maxCostTotalUsd,
                                              Long minTotalTokens, Long maxTotalTokens, OffsetDateTime startedAfter,
                                              OffsetDateTime startedBefore, List<String> score, String inputContains) {
        SessionSort order = SessionSort.parse(sort);
        SessionFilter filter = SessionFilter.of(status, testCaseId, minLatencyMs, maxLatencyMs, minCostTotalUsd,
                maxCostTotalUsd, minTotalTokens, maxTotalTokens,
                startedAfter == null ? null : startedAfter.toInstant(),
                startedBefore == null ? null : startedBefore.toInstant(), score, inputContains);
        return new SessionQuery(workspace, experimentName, filter, order);
    }

    /** The template {@code file} next to {@code owner}, with the shared parts in place of the markers it holds. */
    public Sql compose(Class<?> owner, String file) {
        return compose(owner, file, Map.of());
    }

    /** As {@link #compose(Class, String)}, with more fragments of the caller's own (fixed SQL text, never input). */
    Sql compose(Class<?> owner, String file, Map<String, String> more) {
        Map<String, String> parts = new HashMap<>(more);
        parts.put(KEY_RANGE, KEY_RANGE_SQL);
        parts.put(FILTER, FILTER_SQL);
        parts.put(ORDER_BY, sort.orderBy());
        return Sql.compose(owner, file, parts);
    }

    /** Values of every placeholder of the shared parts (the caller adds its own). */
    public Params params() {
        Params p = Params.of("workspace", workspace).with("experiment_name", experimentName).with("snapshot", null);
        filter.bind(p);
        sort.bind(p);
        return p;
    }

    /** A fingerprint of the filters and the order (not of the experiment), for a cursor made for them. */
    String canonical() {
        return filter.canonical() + "\u0003" + sort.canonical();
    }
}
