package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingest requests that arrive together share their statements (group commit): many single trajectories and a
 * batch posted at the same moment are written with fewer index refreshes than requests, each is listed as soon as
 * its own 201 is back, a request naming an unknown experiment fails alone, two versions of one session posted at
 * once leave exactly one, and every index row equals the span-level definition.
 */
@ExtendWith(ContractChecked.class)
class GroupedIngestIT {
    static final int SINGLES = 24;
    static final String WS = Experiments.uniqueWorkspace();
    static final Instant T = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static TestServer server;
    static Http http;
    static Db db;

    @BeforeAll
    static void start() {
        // its own server, so the statement counts of its metrics are this test's alone
        server = TestServer.start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_QUERY_TIMEOUT_MS", "60000"))
                .awaitReady(Duration.ofSeconds(60));
        http = server.http();
        db = new Db(server);
        Experiments.create(http, WS, "exp");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Trajectories single(int i) {
        return Trajectories.upstreamShape("g-" + i, "exp", "tc-" + i, T.plusSeconds(i), i / 100.0)
                .agentStep("more " + i, T.plusSeconds(i).plusMillis(500), 10L + i, 1L, null, 0.001 * i);
    }

    @Test
    void concurrentIngestsShareStatementsAndAreEachVisibleAfterTheir201() throws Exception {
        Scrape before = Scrape.of(http);
        ExecutorService pool = Executors.newFixedThreadPool(SINGLES + 4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < SINGLES; i++) {
                int n = i;
                answers.add(pool.submit(ingestThenRead(go, "/ingest/atif", single(n).json(), "tc-" + n, 201)));
            }
            answers.add(pool.submit(ingestThenRead(go, "/ingest/atif/batch", Map.of("trajectories", List.of(
                    Trajectories.upstreamShape("g-batch-1", "exp", "tc-batch", T, 0.5).json(),
                    Trajectories.upstreamShape("g-batch-2", "exp", "tc-batch", T.plusSeconds(1), 0.7).json())),
                    "tc-batch", 201)));
            // two versions of one session at once: one of them is the session afterwards
            answers.add(pool.submit(ingestThenRead(go, "/ingest/atif",
                    Trajectories.upstreamShape("g-twice", "exp", "tc-twice", T, 0.1).json(), null, 201)));
            answers.add(pool.submit(ingestThenRead(go, "/ingest/atif",
                    Trajectories.upstreamShape("g-twice", "exp", "tc-twice", T, 0.9).json(), null, 201)));
            // a member that fails alone: the others of its group are still written
            answers.add(pool.submit(ingestThenRead(go, "/ingest/atif",
                    Trajectories.upstreamShape("g-lost", "no-such-experiment", "tc-lost", T, 0.3).json(), null,
                    422)));
            go.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }

        Scrape after = Scrape.of(http);
        double refreshes = after.since(before, "intake_store_statements_seconds_count",
                "statement=\"sessions/refresh.sql\"");
        int requests = answers.size() - 1; // the 422 refreshes nothing
        assertThat(refreshes).as("index refreshes for %d requests", requests).isGreaterThan(0).isLessThan(requests);

        JsonNode rows = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions?page_size=1000")
                .json().get("data");
        assertThat(rows).hasSize(SINGLES + 3);
        JsonNode twice = null;
        for (JsonNode row : rows) {
            if (row.get("session_id").asText().equals("g-twice")) {
                twice = row;
            }
        }
        assertThat(twice).isNotNull();
        assertThat(twice.get("evaluator_scores").get("reward").asDouble()).isIn(0.1, 0.9);
        // the spans of one version only: 4 spans per upstream-shaped trajectory, results of the same version
        assertThat(((Number) db.rows("SELECT count() AS n FROM spans FINAL WHERE workspace = ?"
                + " AND session_id = 'g-twice' AND is_deleted = 0", WS).get(0).get("n")).longValue()).isEqualTo(4L);
        assertThat(db.rows("SELECT value FROM evaluator_results FINAL WHERE workspace = ? AND session_id = 'g-twice'"
                + " AND is_deleted = 0", WS)).extracting(r -> r.get("value"))
                .containsExactly(twice.get("evaluator_scores").get("reward").asDouble());

        List<Map<String, Object>> expected = new ArrayList<>();
        for (Map<String, Object> row : db.rows(SessionRowsMatchSpanDefinitionIT.sql(), WS, "exp", WS)) {
            expected.add(SessionRowsMatchSpanDefinitionIT.normalize(row));
        }
        List<Map<String, Object>> actual = new ArrayList<>();
        rows.forEach(row -> actual.add(SessionRowsMatchSpanDefinitionIT.normalize(row)));
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /**
     * Posts once the latch opens; checks the status, and after a 201 with a test case, that the list filtered by
     * it already shows the request's sessions.
     */
    static Callable<String> ingestThenRead(CountDownLatch go, String path, Object body, String testCase, int status) {
        return () -> {
            go.await();
            Http.Response r = http.post("/apis/intake/v2/workspaces/" + WS + path, body);
            if (r.status() != status) {
                return "status " + r.status() + ": " + r.body();
            }
            if (status != 201 || testCase == null) {
                return "ok";
            }
            JsonNode data = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions?test_case_id="
                    + testCase).json().get("data");
            int expected = path.endsWith("batch") ? 2 : 1;
            return data.size() == expected ? "ok" : "listed " + data.size() + " sessions of " + testCase + " after 201";
        };
    }
}
