package dev.intake.bench.load;

import dev.intake.bench.Api;
import java.util.ArrayList;
import java.util.List;

/**
 * One sessions-list request that the load driver repeats: the experiment and the query string; a conditional one
 * is sent with {@code If-None-Match} naming the current ETag, and counts when answered 304; a kept one is sent
 * without {@code Cache-Control: no-cache}, so the instance answers it from memory while the store is unchanged.
 */
public record Scenario(String name, String experiment, int experimentSessions, String query, boolean conditional,
                       boolean kept) {
    public Scenario(String name, String experiment, int experimentSessions, String query) {
        this(name, experiment, experimentSessions, query, false, false);
    }

    public Scenario(String name, String experiment, int experimentSessions, String query, boolean conditional) {
        this(name, experiment, experimentSessions, query, conditional, false);
    }

    public String path() {
        return "experiments/" + experiment + "/sessions?" + query;
    }

    /**
     * The scenarios on the deep experiment of {@code deepSessions} sessions and on a wide one. The deep page
     * is the last page of 100, {@code page=<n/100>&page_size=100}: offset n-100 (9,900 for 10k sessions), same page
     * size as page 1 so the two compare directly.
     */
    public static List<Scenario> standard(String deep, int deepSessions, String wide, int wideSessions) {
        List<Scenario> list = new ArrayList<>();
        list.add(new Scenario("page1-size50", deep, deepSessions, "page=1&page_size=50"));
        list.add(new Scenario("page1-size100", deep, deepSessions, "page=1&page_size=100"));
        list.add(deepPage(deep, deepSessions));
        list.add(new Scenario("status-error", deep, deepSessions, "page=1&page_size=100&status=error"));
        list.add(new Scenario("test-case", deep, deepSessions, "page=1&page_size=100&test_case_id=case-7"));
        list.add(new Scenario("wide-page1", wide, wideSessions, "page=1&page_size=100"));
        list.add(new Scenario("page1-304", deep, deepSessions, "page=1&page_size=100", true));
        list.add(new Scenario("page1-kept", deep, deepSessions, "page=1&page_size=100", false, true));
        return list;
    }

    /** Page 1 and the deep page of one experiment, for the p50-against-size plot. */
    public static List<Scenario> sizes(String experiment, int sessions) {
        return List.of(new Scenario("page1-size100", experiment, sessions, "page=1&page_size=100"),
                deepPage(experiment, sessions));
    }

    /** Names of the {@link #analysis} scenarios. */
    public static final List<String> ANALYSIS = List.of("sort-cost-desc", "sort-quality", "score-filter",
            "latency-range", "cursor-deep");

    /** Query marker of a cursor scenario: replaced by a real cursor at this depth (see {@link #resolve}). */
    private static final String CURSOR_AT = "cursor=@depth:";

    /**
     * The analysis scenarios on one experiment: page 1 sorted by cost (descending) and by the {@code quality}
     * score, filtered by a score and by a latency range, and a cursor page at depth {@code sessions - 100}.
     */
    public static List<Scenario> analysis(String experiment, int sessions) {
        return List.of(
                new Scenario("sort-cost-desc", experiment, sessions, "page_size=100&sort=-cost_total_usd"),
                new Scenario("sort-quality", experiment, sessions, "page_size=100&sort=evaluator_scores.quality"),
                new Scenario("score-filter", experiment, sessions, "page_size=100&score=quality%3C0.5"),
                new Scenario("latency-range", experiment, sessions,
                        "page_size=100&min_latency_ms=30000&max_latency_ms=50000"),
                new Scenario("cursor-deep", experiment, sessions,
                        "page_size=100&" + CURSOR_AT + Math.max(100, sessions - 100)));
    }

    /**
     * This scenario with a real cursor in place of its marker: the {@code next_cursor} of the offset page that ends
     * at the marker's depth, asked of {@code api} (cursors are signed by the instance that serves them).
     */
    public Scenario resolve(Api api) {
        int at = query.indexOf(CURSOR_AT);
        if (at < 0) {
            return this;
        }
        int depth = Integer.parseInt(query.substring(at + CURSOR_AT.length()));
        String base = query.substring(0, at).replaceAll("&$", "");
        Api.Reply r = api.get(api.uri("experiments/" + experiment + "/sessions?" + base + "&page="
                + depth / 100));
        String cursor = r.status() == 200 ? r.json().path("pagination").path("next_cursor").asText(null) : null;
        if (cursor == null) {
            throw new IllegalStateException("no cursor at depth " + depth + " of " + experiment + ": " + r.status());
        }
        return new Scenario(name, experiment, experimentSessions, base + "&cursor=" + cursor, conditional, kept);
    }

    private static Scenario deepPage(String experiment, int sessions) {
        int lastPage = Math.max(1, sessions / 100);
        return new Scenario("deep-page", experiment, sessions, "page=" + lastPage + "&page_size=100");
    }
}
