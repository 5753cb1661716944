package dev.intake.bench.load;

import java.util.ArrayList;
import java.util.List;

/** One sessions-list request that the load driver repeats: the experiment and the query string. */
public record Scenario(String name, String experiment, int experimentSessions, String query) {
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
        return list;
    }

    /** Page 1 and the deep page of one experiment, for the p50-against-size plot. */
    public static List<Scenario> sizes(String experiment, int sessions) {
        return List.of(new Scenario("page1-size100", experiment, sessions, "page=1&page_size=100"),
                deepPage(experiment, sessions));
    }

    private static Scenario deepPage(String experiment, int sessions) {
        int lastPage = Math.max(1, sessions / 100);
        return new Scenario("deep-page", experiment, sessions, "page=" + lastPage + "&page_size=100");
    }
}
