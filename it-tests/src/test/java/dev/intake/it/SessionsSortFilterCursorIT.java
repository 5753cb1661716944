package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentSessionsApi;
import dev.intake.sdk.model.ExperimentSessionResponse;
import dev.intake.sdk.model.ExperimentSessionResponsesPage;
import dev.intake.sdk.model.SessionMode;
import dev.intake.sdk.model.SpanStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sorting, filtering and cursor walks of the session list against a reference computed here from every session of
 * the experiment: for each sort key and direction the order equals a plain Java sort (nulls last, ties by
 * started_at, root_span_id, session_id); for each filter combination the total and the rows equal a plain Java
 * filter; walking by offset or by cursor returns each matching session exactly once, in order.
 */
@ExtendWith(ContractChecked.class)
class SessionsSortFilterCursorIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final String EXP = "analysis";
    static final int SESSIONS = 48;
    static final Instant T = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static ExperimentSessionsApi api;
    static Http http;
    /** Every session of the experiment, as the unfiltered list shows it. */
    static List<ExperimentSessionResponse> all;

    @BeforeAll
    static void seed() throws ApiException {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        api = new ExperimentSessionsApi(SERVER.sdk());
        create(http, WS, EXP);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            batch.add(session(i).json());
        }
        Http.Response r = http.post("/apis/intake/v2/workspaces/" + WS + "/ingest/atif/batch", Map.of("trajectories", batch));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        SessionQueryCall everything = new SessionQueryCall();
        everything.pageSize = 1000;
        all = everything.call(api, WS, EXP).getData();
        assertThat(all).hasSize(SESSIONS);
    }

    /**
     * Session {@code i}: start times shared by groups of four (ties), some without any timestamp (no end, no
     * latency), metrics absent, zero or repeated, a numeric and a boolean evaluator each missing on some sessions,
     * a text evaluator (ignored), failed tools, several test cases and none.
     */
    static Trajectories session(int i) {
        String testCase = i % 7 == 0 ? null : "case-" + (char) ('a' + i % 5);
        Trajectories t = Trajectories.aTrajectory(String.format(Locale.ROOT, "s-%02d", (i * 17) % SESSIONS), EXP,
                testCase);
        boolean timeless = i % 11 == 10;
        Instant start = timeless ? null : T.plusSeconds(i / 4);
        t.userStep((i % 3 == 0 ? "Question ALPHA " : "question beta ") + i, start);
        Long prompt = i % 6 == 0 ? null : (long) (i * 7 % 40);
        Long completion = i % 5 == 1 ? null : (long) (i % 4) * 5;
        Double cost = i % 8 == 0 ? null : (i * 3 % 10) / 100.0;
        t.agentStep(i % 10 == 4 ? "" : "answer " + i, start == null ? null : start.plusMillis(i * 37 % 500), prompt,
                completion, i % 4 == 0 ? null : 1L, cost);
        if (i % 9 == 5) {
            t.toolStep(start, "call-" + i, "search", "boom", true);
        }
        if (!timeless) {
            t.verifier(start, start.plusMillis((i * 311) % 3000));
        }
        if (i % 4 != 0) {
            t.reward("quality", (i * 37 % 11) / 10.0);
        }
        if (i % 5 != 2) {
            t.reward("passed", i % 3 == 0);
        }
        t.reward("comment", "text results are ignored");
        return t;
    }

    // ---- the reference: sort keys as Java values ----

    static Comparable<?> value(ExperimentSessionResponse s, String key) {
        return switch (key) {
            case "started_at" -> s.getStartedAt().toInstant();
            case "ended_at" -> s.getEndedAt() == null ? null : s.getEndedAt().toInstant();
            case "latency_ms" -> s.getLatencyMs();
            case "status" -> s.getStatus().getValue();
            case "test_case_id" -> s.getTestCaseId();
            case "cost_total_usd" -> s.getCostTotalUsd();
            case "input_tokens" -> s.getInputTokens();
            case "output_tokens" -> s.getOutputTokens();
            case "cached_tokens" -> s.getCachedTokens();
            case "total_tokens" -> totalTokens(s);
            default -> s.getEvaluatorScores().get(key.substring("evaluator_scores.".length()));
        };
    }

    static Long totalTokens(ExperimentSessionResponse s) {
        if (s.getInputTokens() == null && s.getOutputTokens() == null) {
            return null;
        }
        return (s.getInputTokens() == null ? 0 : s.getInputTokens()) + (s.getOutputTokens() == null ? 0 : s.getOutputTokens());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Comparator<ExperimentSessionResponse> order(String sort) {
        Comparator<ExperimentSessionResponse> c = (a, b) -> 0;
        for (String part : sort.split(",")) {
            boolean desc = part.startsWith("-");
            String key = desc ? part.substring(1) : part;
            c = c.thenComparing((a, b) -> {
                Comparable va = value(a, key);
                Comparable vb = value(b, key);
                if (va == null || vb == null) {
                    return va == null ? (vb == null ? 0 : 1) : -1; // nulls last in both directions
                }
                return desc ? vb.compareTo(va) : va.compareTo(vb);
            });
        }
        return c.thenComparing(s -> s.getStartedAt().toInstant()).thenComparing(ExperimentSessionResponse::getRootSpanId)
                .thenComparing(ExperimentSessionResponse::getSessionId);
    }

    static List<String> ids(List<ExperimentSessionResponse> rows) {
        return rows.stream().map(ExperimentSessionResponse::getSessionId).toList();
    }

    static final List<String> KEYS = List.of("started_at", "ended_at", "latency_ms", "status", "test_case_id",
            "cost_total_usd", "input_tokens", "output_tokens", "cached_tokens", "total_tokens",
            "evaluator_scores.quality", "evaluator_scores.passed", "evaluator_scores.nobody");

    static Stream<String> sorts() {
        List<String> sorts = new ArrayList<>();
        for (String key : KEYS) {
            sorts.add(key);
            sorts.add("-" + key);
        }
        sorts.add("-evaluator_scores.passed,cost_total_usd,-latency_ms");
        sorts.add("test_case_id,-evaluator_scores.quality");
        sorts.add("status,-total_tokens,ended_at");
        return sorts.stream();
    }

    @ParameterizedTest
    @MethodSource("sorts")
    void everySortKeyInBothDirectionsMatchesTheReferenceOrder(String sort) throws ApiException {
        SessionQueryCall q = new SessionQueryCall();
        q.sort = sort;
        q.pageSize = 1000;

        ExperimentSessionResponsesPage page = q.call(api, WS, EXP);

        assertThat(ids(page.getData())).isEqualTo(ids(all.stream().sorted(order(sort)).toList()));
        assertThat(page.getSort()).startsWith(sort).contains("root_span_id");
        assertThat(page.getPagination().getTotalResults()).isEqualTo(SESSIONS);
    }

    @Test
    void theFixtureHasTiesNullsAndMissingEvaluatorsForEveryKey() {
        for (String key : KEYS.subList(0, KEYS.size() - 1)) {
            long nulls = all.stream().filter(s -> value(s, key) == null).count();
            long distinct = all.stream().map(s -> value(s, key)).distinct().count();
            if (!key.equals("ended_at") && !key.equals("latency_ms")) {
                assertThat(distinct).as(key + " has ties").isLessThan(SESSIONS);
            }
            if (!key.equals("status") && !key.equals("started_at")) {
                assertThat(nulls).as(key + " has nulls").isPositive();
            }
        }
        assertThat(all).anySatisfy(s -> assertThat(s.getStatus()).isEqualTo(SpanStatus.ERROR));
    }

    // ---- filters ----

    record Case(String name, SessionQueryCall call, Predicate<ExperimentSessionResponse> matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case filter(String name, Function<SessionQueryCall, SessionQueryCall> set,
                       Predicate<ExperimentSessionResponse> matches) {
        return new Case(name, set.apply(new SessionQueryCall()), matches);
    }

    static Double latency(ExperimentSessionResponse s) {
        return s.getLatencyMs();
    }

    static boolean score(ExperimentSessionResponse s, String name, Predicate<Double> p) {
        Double v = s.getEvaluatorScores().get(name);
        return v != null && p.test(v);
    }

    static Stream<Case> filters() {
        OffsetDateTime from = T.plusSeconds(3).atOffset(ZoneOffset.UTC);
        OffsetDateTime to = T.plusSeconds(7).atOffset(ZoneOffset.UTC);
        return Stream.of(
                filter("latency range", q -> { q.minLatencyMs = 500.0; q.maxLatencyMs = 2000.0; return q; },
                        s -> latency(s) != null && latency(s) >= 500 && latency(s) <= 2000),
                filter("min latency only", q -> { q.minLatencyMs = 0.0; return q; }, s -> latency(s) != null),
                filter("cost range inclusive", q -> { q.minCostTotalUsd = 0.03; q.maxCostTotalUsd = 0.06; return q; },
                        s -> s.getCostTotalUsd() != null && s.getCostTotalUsd() >= 0.03 && s.getCostTotalUsd() <= 0.06),
                filter("max cost zero", q -> { q.maxCostTotalUsd = 0.0; return q; },
                        s -> s.getCostTotalUsd() != null && s.getCostTotalUsd() <= 0.0),
                filter("total tokens range", q -> { q.minTotalTokens = 10L; q.maxTotalTokens = 30L; return q; },
                        s -> totalTokens(s) != null && totalTokens(s) >= 10 && totalTokens(s) <= 30),
                filter("started window", q -> { q.startedAfter = from; q.startedBefore = to; return q; },
                        s -> !s.getStartedAt().isBefore(from) && !s.getStartedAt().isAfter(to)),
                filter("score >=", q -> { q.score = List.of("quality>=0.5"); return q; },
                        s -> score(s, "quality", v -> v >= 0.5)),
                filter("score < and boolean =", q -> { q.score = List.of("quality<0.5", "passed=1"); return q; },
                        s -> score(s, "quality", v -> v < 0.5) && score(s, "passed", v -> v == 1.0)),
                filter("score > and <=", q -> { q.score = List.of("quality>0.2", "quality<=0.8"); return q; },
                        s -> score(s, "quality", v -> v > 0.2 && v <= 0.8)),
                filter("score on a missing evaluator", q -> { q.score = List.of("nobody>=0"); return q; }, s -> false),
                filter("input contains, any case", q -> { q.inputContains = "alpha"; return q; },
                        s -> s.getInput() != null && s.getInput().toLowerCase(Locale.ROOT).contains("alpha")),
                filter("status with score and cost", q -> {
                    q.status = SpanStatus.SUCCESS; q.score = List.of("passed=0"); q.minCostTotalUsd = 0.01; return q; },
                        s -> s.getStatus() == SpanStatus.SUCCESS && score(s, "passed", v -> v == 0.0)
                                && s.getCostTotalUsd() != null && s.getCostTotalUsd() >= 0.01),
                filter("test case with latency and input", q -> {
                    q.testCaseId = "case-b"; q.maxLatencyMs = 2500.0; q.inputContains = "QUESTION"; return q; },
                        s -> "case-b".equals(s.getTestCaseId()) && latency(s) != null && latency(s) <= 2500),
                filter("everything at once", q -> {
                    q.status = SpanStatus.SUCCESS; q.minLatencyMs = 100.0; q.maxTotalTokens = 60L;
                    q.startedAfter = T.atOffset(ZoneOffset.UTC); q.score = List.of("quality>=0.1");
                    q.inputContains = "e"; return q; },
                        s -> s.getStatus() == SpanStatus.SUCCESS && latency(s) != null && latency(s) >= 100
                                && totalTokens(s) != null && totalTokens(s) <= 60 && !s.getStartedAt().toInstant().isBefore(T)
                                && score(s, "quality", v -> v >= 0.1) && s.getInput() != null
                                && s.getInput().toLowerCase(Locale.ROOT).contains("e")));
    }

    @ParameterizedTest
    @MethodSource("filters")
    void everyFilterCombinationCountsAndReturnsExactlyTheMatchingSessions(Case c) throws ApiException {
        for (String sort : List.of("started_at", "-cost_total_usd,evaluator_scores.quality")) {
            List<String> expected = ids(all.stream().filter(c.matches()).sorted(order(sort)).toList());
            SessionQueryCall q = c.call().copy();
            q.sort = sort;
            q.pageSize = 1000;

            ExperimentSessionResponsesPage page = q.call(api, WS, EXP);

            assertThat(page.getPagination().getTotalResults()).as(c.name()).isEqualTo(expected.size());
            assertThat(ids(page.getData())).as(c.name()).isEqualTo(expected);
            assertThat(walkByOffset(q, 4)).as(c.name()).isEqualTo(expected);
            assertThat(walkByCursor(q, 3, expected.size())).as(c.name()).isEqualTo(expected);
        }
    }

    @Test
    void theFixtureMakesEveryFilterCaseSelective() {
        filters().forEach(c -> {
            long n = all.stream().filter(c.matches()).count();
            if (!c.name().contains("missing")) {
                assertThat(n).as(c.name()).isBetween(1L, (long) SESSIONS - 1);
            }
        });
    }

    static List<String> walkByOffset(SessionQueryCall query, int pageSize) throws ApiException {
        List<String> walked = new ArrayList<>();
        SessionQueryCall q = query.copy();
        q.pageSize = pageSize;
        for (int page = 1; ; page++) {
            q.page = page;
            List<ExperimentSessionResponse> rows = q.call(api, WS, EXP).getData();
            if (rows.isEmpty()) {
                return walked;
            }
            walked.addAll(ids(rows));
        }
    }

    /** Walks by cursor from the first page; every page must state the same total, the last no next cursor. */
    static List<String> walkByCursor(SessionQueryCall query, int pageSize, long total) throws ApiException {
        List<String> walked = new ArrayList<>();
        SessionQueryCall q = query.copy();
        q.page = null;
        q.pageSize = pageSize;
        q.cursor = null;
        int pages = 0;
        do {
            ExperimentSessionResponsesPage page = q.call(api, WS, EXP);
            assertThat(page.getPagination().getTotalResults()).isEqualTo(total);
            pages++;
            assertThat(page.getPagination().getPage()).isEqualTo(pages);
            walked.addAll(ids(page.getData()));
            q.cursor = page.getPagination().getNextCursor();
            assertThat(pages).isLessThanOrEqualTo(SESSIONS + 1);
        } while (q.cursor != null);
        return walked;
    }

    // ---- cursor walk under ingest ----

    @Test
    void aCursorWalkReturnsEverySessionOfItsStartExactlyOnceWhileSessionsAreIngested() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "walk");
        for (int i = 0; i < 12; i++) {
            ingest(http, ws, Trajectories.upstreamShape("w-" + i, "walk", "c", T.plusSeconds(i * 10), i / 12.0));
        }
        for (String sort : List.of("started_at", "-evaluator_scores.reward")) {
            SessionQueryCall q = new SessionQueryCall();
            q.pageSize = 1000;
            List<String> before = ids(q.call(api, ws, "walk").getData());
            q.sort = sort;
            q.pageSize = 5;
            List<String> walked = new ArrayList<>();
            ExperimentSessionResponsesPage page = q.call(api, ws, "walk");
            long total = page.getPagination().getTotalResults();
            walked.addAll(ids(page.getData()));
            int round = 0;
            while (page.getPagination().getNextCursor() != null) {
                // new sessions before, between and after the rows read so far, and an unchanged re-ingest
                round++;
                String tag = sort.hashCode() + "-" + round;
                ingest(http, ws, Trajectories.upstreamShape("new-early-" + tag, "walk", "c", T.minusSeconds(60), 1.0));
                ingest(http, ws, Trajectories.upstreamShape("new-mid-" + tag, "walk", "c", T.plusSeconds(55), 0.5));
                ingest(http, ws, Trajectories.upstreamShape("new-late-" + tag, "walk", "c", T.plusSeconds(999), 0.0));
                ingest(http, ws, Trajectories.upstreamShape("w-3", "walk", "c", T.plusSeconds(30), 3 / 12.0));
                q.cursor = page.getPagination().getNextCursor();
                page = q.call(api, ws, "walk");
                assertThat(page.getPagination().getTotalResults()).as("total on page " + (round + 1)).isEqualTo(total);
                walked.addAll(ids(page.getData()));
            }
            assertThat(round).isPositive();
            assertThat(total).isEqualTo(before.size());
            assertThat(walked).as(sort).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(before);
            // a fresh walk sees the new sessions
            q.cursor = null;
            assertThat(q.call(api, ws, "walk").getPagination().getTotalResults()).isGreaterThan(total);
        }
    }

    // ---- modes and output ----

    @Test
    void modesCutOrDropInputAndOutput() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "modes");
        String longInput = "é".repeat(299) + "xyz";
        ingest(http, ws, Trajectories.aTrajectory("m-1", "modes", null).userStep(longInput, T)
                .agentStep("short answer", T.plusSeconds(1), 1L, 1L, null, null));
        SessionQueryCall q = new SessionQueryCall();

        ExperimentSessionResponse detailed = q.call(api, ws, "modes").getData().get(0);
        q.mode = SessionMode.PREVIEW;
        ExperimentSessionResponsesPage previewPage = q.call(api, ws, "modes");
        ExperimentSessionResponse preview = previewPage.getData().get(0);
        q.mode = SessionMode.SUMMARY;
        ExperimentSessionResponse summary = q.call(api, ws, "modes").getData().get(0);

        assertThat(detailed.getInput()).isEqualTo(longInput);
        assertThat(detailed.getOutput()).isEqualTo("short answer");
        assertThat(preview.getInput()).isEqualTo("é".repeat(299) + "x…");
        assertThat(preview.getOutput()).isEqualTo("short answer");
        assertThat(previewPage.getMode()).isEqualTo(SessionMode.PREVIEW);
        assertThat(summary.getInput()).isNull();
        assertThat(summary.getOutput()).isNull();
        assertThat(summary.getCostTotalUsd()).isEqualTo(detailed.getCostTotalUsd());
        // input_contains looks at the whole input, whatever the mode shows
        q.inputContains = "XYZ";
        assertThat(q.call(api, ws, "modes").getPagination().getTotalResults()).isEqualTo(1);
    }

    @Test
    void outputIsTheLastAgentMessageAndNullWhenThereIsNone() {
        Map<String, String> outputById = new java.util.HashMap<>();
        all.forEach(s -> outputById.put(s.getSessionId(), s.getOutput()));
        for (int i = 0; i < SESSIONS; i++) {
            String id = String.format(Locale.ROOT, "s-%02d", (i * 17) % SESSIONS);
            String expected = i % 9 == 5 ? "calling search" : i % 10 == 4 ? null : "answer " + i;
            assertThat(outputById.get(id)).as(id).isEqualTo(expected);
        }
    }

    // ---- rejected parameters ----

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("sort=cost", "sort"),
                Arguments.of("sort=started_at,-started_at", "sort"),
                Arguments.of("sort=latency_ms,status,ended_at,test_case_id", "sort"),
                Arguments.of("sort=evaluator_scores.", "sort"),
                Arguments.of("sort=session_id", "sort"),
                Arguments.of("sort=latency_ms,status,ended_at,root_span_id,started_at", "sort"),
                Arguments.of("min_latency_ms=5&max_latency_ms=4", "min_latency_ms"),
                Arguments.of("min_cost_total_usd=0.5&max_cost_total_usd=0.4", "min_cost_total_usd"),
                Arguments.of("min_total_tokens=5&max_total_tokens=4", "min_total_tokens"),
                Arguments.of("started_after=2026-01-02T00:00:00Z&started_before=2026-01-01T00:00:00Z", "started_after"),
                Arguments.of("score=quality", "score"),
                Arguments.of("score=quality%3E%3Dhigh", "score"),
                Arguments.of("score=%3E%3D1", "score"),
                Arguments.of("started_after=yesterday", "started_after"),
                Arguments.of("cursor=not-a-cursor", "cursor"),
                Arguments.of("mode=everything", "mode"));
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void malformedParametersAreA400NamingThem(String query, String parameter) {
        Http.Response r = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/" + EXP + "/sessions?" + query);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(parameter);
    }

    @Test
    void aCursorIsRefusedWithAPageWithOtherFiltersOrSortAndWhenAltered() throws ApiException {
        SessionQueryCall q = new SessionQueryCall();
        q.pageSize = 5;
        q.sort = "-cost_total_usd";
        String cursor = q.call(api, WS, EXP).getPagination().getNextCursor();
        assertThat(cursor).isNotNull();
        String base = "/apis/intake/v2/workspaces/" + WS + "/experiments/" + EXP + "/sessions?page_size=5&";

        assertThat(http.get(base + "sort=-cost_total_usd&cursor=" + cursor).status()).isEqualTo(200);
        assertThat(http.get(base + "sort=-cost_total_usd&page=2&cursor=" + cursor).status()).isEqualTo(400);
        assertThat(http.get(base + "sort=cost_total_usd&cursor=" + cursor).status()).isEqualTo(400);
        assertThat(http.get(base + "cursor=" + cursor).status()).isEqualTo(400);
        assertThat(http.get(base + "sort=-cost_total_usd&status=error&cursor=" + cursor).status()).isEqualTo(400);
        String[] parts = cursor.split("\\.");
        String altered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[0])).replace("\"n\":5", "\"n\":0").getBytes());
        assertThat(altered).isNotEqualTo(parts[0]);
        assertThat(http.get(base + "sort=-cost_total_usd&cursor=" + altered + "." + parts[1]).status()).isEqualTo(400);
        assertThat(http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/other/sessions?page_size=5"
                + "&sort=-cost_total_usd&cursor=" + cursor).status()).isEqualTo(400);
    }

    @Test
    void filtersAreEchoed() throws ApiException {
        SessionQueryCall q = new SessionQueryCall();
        q.score = List.of("quality>=0.5", "passed=1");
        q.minLatencyMs = 1.0;
        q.inputContains = "alpha";
        q.sort = "-evaluator_scores.quality";

        ExperimentSessionResponsesPage page = q.call(api, WS, EXP);

        assertThat(page.getFilter().getScore()).containsExactly("quality>=0.5", "passed=1");
        assertThat(page.getFilter().getMinLatencyMs()).isEqualTo(1.0);
        assertThat(page.getFilter().getMaxLatencyMs()).isNull();
        assertThat(page.getFilter().getInputContains()).isEqualTo("alpha");
        assertThat(page.getSort()).isEqualTo("-evaluator_scores.quality,started_at,root_span_id");
        assertThat(page.getMode()).isEqualTo(SessionMode.DETAILED);
        Set<String> seen = new HashSet<>(ids(page.getData()));
        assertThat(seen).hasSize(page.getData().size());
    }
}
