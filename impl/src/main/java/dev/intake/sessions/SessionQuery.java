package dev.intake.sessions;

import dev.intake.api.model.SpanStatus;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * filter) and {@value #ORDER_BY} (the ORDER BY list, nulls last, with the tie-breaks). Only the predicates of the
 * filters given are composed in, so an absent filter never makes the engine read its column.
 */
record SessionQuery(String workspace, String experimentName, SessionFilter filter, SessionSort sort,
                           Instant snapshot) {
    public static final String KEY_RANGE = "/*SESSION_KEY_RANGE*/";
    public static final String FILTER = "/*SESSION_FILTER*/";
    public static final String ORDER_BY = "/*SESSION_ORDER_BY*/";
    private static final Map<String, String> KEY_RANGE_SQL = Sql.fragments(SessionQuery.class, "key-range.sql");
    private static final Map<String, String> FILTER_SQL = Sql.fragments(SessionQuery.class, "filter.sql");

    public static SessionQuery of(String workspace, String experimentName, SessionFilter filter, SessionSort sort) {
        return new SessionQuery(workspace, experimentName, filter, sort, null);
    }

    /** The same query restricted to the sessions indexed at or before {@code bound} (a cursor walk's set). */
    SessionQuery asOf(Instant bound) {
        return new SessionQuery(workspace, experimentName, filter, sort, bound);
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
        return new SessionQuery(workspace, experimentName, filter, order, null);
    }

    /** The template {@code file} next to {@code owner}, with the shared parts in place of the markers it holds. */
    public Sql compose(Class<?> owner, String file) {
        return compose(owner, file, Map.of());
    }

    /**
     * As {@link #compose(Class, String)}, with more fragments of the caller's own (fixed SQL text, never input). They
     * go in first, so they may hold the shared markers too.
     */
    Sql compose(Class<?> owner, String file, Map<String, String> more) {
        // the caller's fragments first: they may hold the shared markers, replaced after them
        Map<String, String> parts = new LinkedHashMap<>(more);
        parts.putAll(parts());
        return Sql.compose(owner, file, parts);
    }

    /** The SQL text of each marker, for this query's filters and order (values are placeholders, bound by params). */
    Map<String, String> parts() {
        List<String> range = new ArrayList<>(List.of("experiment"));
        range.addAll(filter.keyRangePredicates());
        List<String> where = new ArrayList<>(List.of("current"));
        where.addAll(filter.predicates());
        if (snapshot != null) {
            where.add("snapshot");
        }
        List<String> predicates = new ArrayList<>(where.stream().map(FILTER_SQL::get).toList());
        predicates.addAll(filter.scorePredicates(FILTER_SQL.get("score")));
        return Map.of(KEY_RANGE, join(range.stream().map(KEY_RANGE_SQL::get).toList()), FILTER, join(predicates),
                ORDER_BY, sort.orderBy());
    }

    private static String join(List<String> predicates) {
        return String.join("\n  AND ", predicates.stream().map(p -> "(" + p + ")").toList());
    }

    /** Values of every placeholder of the shared parts (the caller adds its own). */
    public Params params() {
        Params p = Params.of("workspace", workspace).with("experiment_name", experimentName).with("snapshot", snapshot);
        filter.bind(p);
        sort.bind(p);
        return p;
    }

    /** A fingerprint of the filters and the order (not of the experiment), for a cursor made for them. */
    String canonical() {
        return filter.canonical() + "\u0003" + sort.canonical();
    }
}
