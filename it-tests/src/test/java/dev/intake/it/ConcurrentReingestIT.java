package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many writers re-ingest different versions of one session at the same moment, through two service instances on
 * the same database (so no lock inside one process can be what makes it hold). Whatever the interleaving, the
 * session's current spans, its current results and its row in the list are all exactly one submitted version.
 */
@ExtendWith(ContractChecked.class)
class ConcurrentReingestIT {
    static final int WRITERS = 8;
    static final int ROUNDS = 12;
    /** The engine runs one statement at a time: 8 writers queue behind each other, so a generous timeout. */
    static final Map<String, String> SLOW_OK = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(),
            "CLICKHOUSE_QUERY_TIMEOUT_MS", "60000", "CLICKHOUSE_CONNECT_TIMEOUT_MS", "60000");
    static TestServer first;
    static final String WS = Experiments.uniqueWorkspace();
    static final Instant T = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    static TestServer second;
    static Db db;

    @BeforeAll
    static void start() {
        first = TestServer.start(SLOW_OK).awaitReady(Duration.ofSeconds(60));
        second = first.sameStore(SLOW_OK);
        db = new Db(first);
        Experiments.create(first.http(), WS, "exp");
    }

    @AfterAll
    static void stop() {
        TestServer.closeAll(first, second);
    }

    /** Version {@code v}: v + 1 agent steps of (v + 1) * 100 prompt tokens each, and reward v / 10. */
    static Trajectories version(String session, int v) {
        Trajectories t = Trajectories.aTrajectory(session, "exp", "case-" + v).userStep("question " + v, T);
        for (int s = 0; s <= v; s++) {
            t.agentStep("answer " + v + "." + s, T.plusMillis(1000L * (s + 1) + v), (v + 1) * 100L, (long) v, null,
                    0.001 * (v + 1));
        }
        return t.verifier(T, T.plusSeconds(20 + v)).reward("quality", v / 10.0).reward("passed", v % 2 == 0);
    }

    @Test
    void concurrentReingestsLeaveExactlyOneSubmittedVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                // A new session every other round (its writers race to be its first ingest, which publishes the
                // row it computed), the same session in the round after (a re-ingest replaces that round's winner).
                String session = "contended-" + (round / 2);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<JsonNode>> answers = new ArrayList<>();
                for (int v = 0; v < WRITERS; v++) {
                    int version = v;
                    Http http = (v % 2 == 0 ? first : second).http();
                    answers.add(pool.submit(() -> {
                        go.await();
                        Http.Response r = http.post("/apis/intake/v2/workspaces/" + WS + "/ingest/atif",
                                version(session, version).json());
                        assertThat(r.status()).as(r.body()).isEqualTo(201);
                        return r.json();
                    }));
                }
                go.countDown();
                List<JsonNode> written = new ArrayList<>();
                for (Future<JsonNode> a : answers) {
                    written.add(a.get());
                }
                assertOneVersion("round " + round, session, round / 2 + 1, written);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertOneVersion(String round, String session, int sessions, List<JsonNode> written)
            throws IOException {
        JsonNode page = first.http().get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions").json();
        // the total comes from the counts kept at ingest: one row per session, whoever won
        assertThat(page.at("/pagination/total_results").asLong()).as(round + ": one row per session")
                .isEqualTo(sessions);
        List<JsonNode> rows = new ArrayList<>();
        page.get("data").forEach(r -> {
            if (r.get("session_id").asText().equals(session)) {
                rows.add(r);
            }
        });
        assertThat(rows).as(round + ": one row of " + session).hasSize(1);
        assertThat(page.get("data")).as(round + ": the page").hasSize(sessions);
        JsonNode row = rows.get(0);
        // the test case names the version; every other value of the row must be that same version's
        int v = Integer.parseInt(row.get("test_case_id").asText().substring("case-".length()));
        assertThat(v).as(round + ": a submitted version, row " + row).isBetween(0, WRITERS - 1);
        assertThat(row.get("input_tokens").asLong()).as(round).isEqualTo((v + 1L) * (v + 1) * 100);
        assertThat(row.get("output_tokens").asLong()).as(round).isEqualTo((v + 1L) * v);
        assertThat(row.get("input").asText()).as(round).isEqualTo("question " + v);
        assertThat(row.get("evaluator_scores").get("quality").asDouble()).as(round).isEqualTo(v / 10.0);
        assertThat(row.get("evaluator_scores").get("passed").asDouble()).as(round).isEqualTo(v % 2 == 0 ? 1.0 : 0.0);
        assertThat(Instant.parse(row.get("ended_at").asText())).as(round).isEqualTo(T.plusSeconds(20 + v));

        // The raw current rows (latest version of each, not deleted) are exactly that version's rows.
        JsonNode mine = written.stream().filter(w -> w.get("test_case_id").asText().equals("case-" + v)).findFirst()
                .orElseThrow();
        List<Map<String, Object>> spans = db.rows("SELECT count() AS n, uniqExact(latest) AS generations FROM ("
                + " SELECT argMax(event_ts, (event_ts, is_deleted)) AS latest,"
                + "   argMax(is_deleted, (event_ts, is_deleted)) AS deleted"
                + " FROM spans WHERE workspace = ? AND session_id = ? GROUP BY trace_id, span_id) WHERE deleted = 0",
                WS, session);
        assertThat(((Number) spans.get(0).get("n")).intValue()).as(round + ": current spans")
                .isEqualTo(mine.get("spans_written").asInt());
        assertThat(((Number) spans.get(0).get("generations")).intValue()).as(round + ": one generation").isEqualTo(1);
        List<Map<String, Object>> results = db.rows("SELECT name, value FROM ("
                + " SELECT name, argMax(value, (ingested_at, is_deleted)) AS value,"
                + "   argMax(is_deleted, (ingested_at, is_deleted)) AS deleted"
                + " FROM evaluator_results WHERE workspace = ? AND session_id = ?"
                + " GROUP BY span_id, name, evaluator_result_id) WHERE deleted = 0 ORDER BY name", WS, session);
        assertThat(results).as(round + ": current results").hasSize(2);
        assertThat(((Number) results.get(0).get("value")).doubleValue()).as(round + ": passed").isEqualTo(v % 2 == 0 ? 1.0 : 0.0);
        assertThat(((Number) results.get(1).get("value")).doubleValue()).as(round + ": quality").isEqualTo(v / 10.0);

        // And the row is the span-level definition evaluated over those raw rows.
        List<Map<String, Object>> defined = db.rows(SessionRowsMatchSpanDefinitionIT.sql(), WS, "exp", WS).stream()
                .filter(d -> session.equals(d.get("session_id"))).toList();
        assertThat(defined).hasSize(1);
        assertThat(((Number) defined.get(0).get("input_tokens")).longValue()).as(round)
                .isEqualTo(row.get("input_tokens").asLong());
        assertThat(((Number) defined.get(0).get("output_tokens")).longValue()).as(round)
                .isEqualTo(row.get("output_tokens").asLong());
        assertThat(defined.get(0).get("root_span_id")).as(round).isEqualTo(row.get("root_span_id").asText());
        assertThat(defined.get(0).get("test_case_id")).as(round).isEqualTo(row.get("test_case_id").asText());
    }
}
