package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session counts kept at ingest ({@code experiment_counters}, which the list's totals come from) equal, per
 * experiment, status and test case, a count of the session index and a count of the span-level definition, after
 * concurrent re-ingests through two instances that move sessions between statuses, test cases, start times and
 * experiments, after an experiment is deleted while it is being ingested into, and after it is created again.
 */
@ExtendWith(ContractChecked.class)
class SessionCountsIT {
    static final int WRITERS = 6;
    static final int ROUNDS = 6;
    static final List<String> EXPERIMENTS = List.of("a", "b");
    static final String WS = Experiments.uniqueWorkspace();
    static final Instant T = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    static TestServer first;
    static TestServer second;
    static Db db;

    @BeforeAll
    static void start() {
        first = TestServer.start(ConcurrentReingestIT.SLOW_OK).awaitReady(Duration.ofSeconds(60));
        second = first.sameStore(ConcurrentReingestIT.SLOW_OK);
        db = new Db(first);
        EXPERIMENTS.forEach(e -> Experiments.create(first.http(), WS, e));
    }

    @AfterAll
    static void stop() {
        TestServer.closeAll(first, second);
    }

    /**
     * Version {@code v} of a session: its experiment, test case, status (an error tool call) and start all
     * follow {@code v}, so concurrent versions disagree on every pre-counted value and on the index key.
     */
    static Trajectories version(String session, int v) {
        Instant start = T.plusSeconds(v % 3);
        Trajectories t = Trajectories.aTrajectory(session, EXPERIMENTS.get(v % 2), "case-" + (v % 3))
                .userStep("question " + v, start)
                .agentStep("answer " + v, start.plusMillis(500), 10L * (v + 1), 1L, null, 0.001);
        if (v % 4 < 2) {
            t.toolStep(start.plusMillis(700), "call-1", "search", "failed", true);
        }
        return t.verifier(start, start.plusSeconds(5)).reward("quality", v / 10.0);
    }

    @Test
    void countsKeptAtIngestEqualTheIndexAndTheSpanLevelDefinition() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    // two sessions contended by three writers each, plus versions that differ per round
                    String session = "s" + (w % 2);
                    int v = (w + round) % 7;
                    Http http = (w % 2 == 0 ? first : second).http();
                    answers.add(pool.submit(() -> {
                        go.await();
                        return Experiments.ingest(http, WS, version(session, v)).status();
                    }));
                }
                go.countDown();
                for (Future<Integer> a : answers) {
                    assertThat(a.get()).isEqualTo(201);
                }
                assertCountsExact("round " + round, true);
            }

            // a delete while ingests into the experiment are running: whatever wins, counts follow the index
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> racing = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String session = "r" + w;
                racing.add(pool.submit(() -> {
                    go.await();
                    // not Experiments.ingest, which requires 201: an ingest the delete overtakes is refused (422)
                    return second.http().post("/apis/intake/v2/workspaces/" + WS + "/ingest/atif",
                            version(session, 1).json()).status();
                }));
            }
            racing.add(pool.submit(() -> {
                go.await();
                return first.http().delete("/apis/intake/v2/workspaces/" + WS + "/experiments/b").status();
            }));
            go.countDown();
            for (Future<Integer> r : racing) {
                assertThat(r.get()).isIn(201, 204, 422);
            }
            assertCountsExact("after a delete racing ingests", false);

            // the name again: a new experiment starts from what its own sessions are
            Experiments.create(first.http(), WS, "b");
            assertThat(Experiments.ingest(first.http(), WS, version("s9", 3)).status()).isEqualTo(201);
            // (the span-level definition would still see b's earlier sessions, which the delete took out of the list)
            assertCountsExact("after re-creating b", false);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Counters = index (= span-level definition when {@code spanLevel}), per experiment, status and test case; and
     * the list's totals of a live experiment are the counters' sums.
     */
    static void assertCountsExact(String when, boolean spanLevel) throws Exception {
        for (String experiment : EXPERIMENTS) {
            Map<String, Long> counters = group(db.rows("SELECT status, test_case_id, sum(sessions) AS n"
                    + " FROM experiment_counters WHERE workspace = ? AND experiment_name = ?"
                    + " GROUP BY status, test_case_id HAVING n != 0", WS, experiment));
            Map<String, Long> index = group(db.rows("SELECT status, test_case_id, count() AS n"
                    + " FROM experiment_sessions FINAL WHERE workspace = ? AND experiment_name = ? AND is_deleted = 0"
                    + " GROUP BY status, test_case_id", WS, experiment));
            assertThat(counters).as(when + ": counters of " + experiment + " = the index").isEqualTo(index);
            boolean live = first.http().get("/apis/intake/v2/workspaces/" + WS + "/experiments/" + experiment)
                    .status() == 200;
            if (live && spanLevel) {
                Map<String, Long> defined = group(db.rows("SELECT status, ifNull(test_case_id, '') AS test_case_id,"
                        + " count() AS n FROM (" + SessionRowsMatchSpanDefinitionIT.sql() + ")"
                        + " GROUP BY status, test_case_id", WS, experiment, WS));
                assertThat(counters).as(when + ": counters of " + experiment + " = the span-level definition")
                        .isEqualTo(defined);
            }
            if (live) {
                String base = "/apis/intake/v2/workspaces/" + WS + "/experiments/" + experiment + "/sessions";
                long all = counters.values().stream().mapToLong(Long::longValue).sum();
                assertThat(first.http().get(base).json().at("/pagination/total_results").asLong())
                        .as(when + ": total of " + experiment).isEqualTo(all);
                long errors = counters.entrySet().stream().filter(e -> e.getKey().startsWith("error/"))
                        .mapToLong(Map.Entry::getValue).sum();
                assertThat(second.http().get(base + "?status=error").json().at("/pagination/total_results")
                        .asLong()).as(when + ": errors of " + experiment).isEqualTo(errors);
                long case1 = counters.entrySet().stream().filter(e -> e.getKey().endsWith("/case-1"))
                        .mapToLong(Map.Entry::getValue).sum();
                assertThat(first.http().get(base + "?test_case_id=case-1").json().at("/pagination/total_results")
                        .asLong()).as(when + ": case-1 of " + experiment).isEqualTo(case1);
            }
        }
    }

    private static Map<String, Long> group(List<Map<String, Object>> rows) {
        Map<String, Long> out = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            out.put(r.get("status") + "/" + r.get("test_case_id"), ((Number) r.get("n")).longValue());
        }
        return out;
    }
}
