package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two API instances behind one store, as behind a load balancer: what must hold across instances is raced from
 * both at once, many times over (a single race often passes by luck).
 */
@ExtendWith(ContractChecked.class)
class TwoInstancesIT {
    private static final int ROUNDS = 8;
    private static final int CONTENDERS = 8;
    private static TestServer a;
    private static TestServer b;
    private static ExecutorService pool;

    @BeforeAll
    static void startTwoInstancesOnOneDatabase() {
        String database = "it_two_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", database);
        a = TestServer.start(env);
        a.awaitReady(Duration.ofSeconds(60));
        b = TestServer.start(env);
        b.awaitReady(Duration.ofSeconds(60));
        pool = Executors.newFixedThreadPool(CONTENDERS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        b.close();
        a.close();
    }

    private static Http instance(int i) {
        return (i % 2 == 0 ? a : b).http();
    }

    private static Map<String, Object> experiment(String name, int contender) {
        return Map.of("name", name, "agent_name", "agent", "agent_version", "v" + contender, "dataset_name", "ds");
    }

    /** Runs one call per contender, all released at the same moment, half of them on each instance. */
    private static List<Http.Response> race(java.util.function.IntFunction<Http.Response> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> futures = new ArrayList<>();
        for (int i = 0; i < CONTENDERS; i++) {
            int contender = i;
            futures.add(pool.submit(() -> {
                start.await();
                return call.apply(contender);
            }));
        }
        start.countDown();
        List<Http.Response> answers = new ArrayList<>();
        for (Future<Http.Response> f : futures) {
            answers.add(f.get());
        }
        return answers;
    }

    private static long count(List<Http.Response> answers, int status) {
        return answers.stream().filter(r -> r.status() == status).count();
    }

    @Test
    void aSessionWrittenThroughTheOtherInstanceIsRefreshedNotPublishedAsNew() {
        // instance b has never written the session: it tries the first-ingest publish, whose guard refuses it
        // (the store holds a's generation), and takes the full way; a refusal is an answer, not a store error
        String ws = Experiments.uniqueWorkspace();
        Experiments.create(a.http(), ws, "exp");
        Instant t = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
        assertThat(Experiments.ingest(a.http(), ws, Trajectories.upstreamShape("s-1", "exp", "case-a", t, 1.0))
                .status()).isEqualTo(201);
        Scrape before = Scrape.of(b.http());

        assertThat(Experiments.ingest(b.http(), ws, Trajectories.upstreamShape("s-1", "exp", "case-b", t, 0.25))
                .status()).isEqualTo(201);

        Scrape after = Scrape.of(b.http());
        String publish = "statement=\"sessions/publish-new.sql\"";
        assertThat(after.since(before, "intake_store_statements_seconds_count", publish)).isEqualTo(1);
        assertThat(after.since(before, "intake_store_errors_total", publish)).isZero();
        assertThat(after.since(before, "intake_store_statements_seconds_count",
                "statement=\"sessions/refresh.sql\"")).isEqualTo(1);
        JsonNode page = a.http().get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions").json();
        assertThat(page.at("/pagination/total_results").asInt()).isEqualTo(1);
        assertThat(page.at("/data/0/test_case_id").asText()).isEqualTo("case-b");
        assertThat(page.at("/data/0/evaluator_scores/reward").asDouble()).isEqualTo(0.25);
    }

    @Test
    void anExperimentDeletedThroughTheOtherInstanceRefusesIngestAndListsNothingOfIt() {
        // instance b has written into both experiments, so it knows them as live and skips the lookups before a
        // write of new sessions; the guarded publish then finds one experiment gone, b looks the names up, and the
        // request gets the same 422 as if they had been looked up first; nothing of it is listed, not even its
        // trajectory that names a live experiment (a batch is all or nothing)
        String ws = Experiments.uniqueWorkspace();
        String path = "/apis/intake/v2/workspaces/" + ws;
        Experiments.create(a.http(), ws, "exp");
        Experiments.create(a.http(), ws, "other");
        Instant t = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
        Experiments.ingest(b.http(), ws, Trajectories.upstreamShape("s-1", "exp", "case-a", t, 1.0));
        Experiments.ingest(b.http(), ws, Trajectories.upstreamShape("s-2", "other", "case-a", t, 1.0));
        assertThat(a.http().delete(path + "/experiments/exp").status()).isEqualTo(204);
        Scrape before = Scrape.of(b.http());

        Http.Response batch = b.http().post(path + "/ingest/atif/batch", Map.of("trajectories", List.of(
                Trajectories.upstreamShape("s-3", "other", "case-a", t, 1.0).json(),
                Trajectories.upstreamShape("s-4", "exp", "case-a", t, 1.0).json())));
        Scrape afterBatch = Scrape.of(b.http());
        // b now knows the name is gone: the next request naming it is refused before anything is written
        Http.Response single = b.http().post(path + "/ingest/atif",
                Trajectories.upstreamShape("s-4", "exp", "case-a", t, 1.0).json());

        assertThat(batch.status()).as(batch.body()).isEqualTo(422);
        assertThat(batch.json().at("/code").asText()).isEqualTo("experiment_not_found");
        assertThat(batch.json().at("/errors").size()).isEqualTo(1);
        assertThat(batch.json().at("/errors/0/field").asText())
                .isEqualTo("$.trajectories[1].experiment_context.experiment_id");
        assertThat(single.status()).as(single.body()).isEqualTo(422);
        assertThat(single.json().at("/code").asText()).isEqualTo("experiment_not_found");
        assertThat(single.json().at("/errors/0/field").asText()).isEqualTo("$.experiment_context.experiment_id");
        Scrape after = Scrape.of(b.http());
        String publish = "statement=\"sessions/publish-new.sql\"";
        String lookup = "statement=\"experiments/exists.sql\"";
        assertThat(afterBatch.since(before, "intake_store_statements_seconds_count", publish))
                .as("the batch was written and its guarded publish refused").isEqualTo(1);
        assertThat(afterBatch.since(before, "intake_store_statements_seconds_count", lookup))
                .as("both names looked up after the refusal").isEqualTo(2);
        assertThat(after.since(afterBatch, "intake_store_statements_seconds_count", publish)).isZero();
        assertThat(after.since(afterBatch, "intake_store_statements_seconds_count", lookup)).isEqualTo(1);
        assertThat(after.since(before, "intake_store_errors_total")).isZero();
        JsonNode others = a.http().get(path + "/experiments/other/sessions").json();
        assertThat(others.at("/pagination/total_results").asInt()).as("the batch's live half is not listed").isEqualTo(1);
        assertThat(others.at("/data/0/session_id").asText()).isEqualTo("s-2");

        // the name created again starts empty, and the refused session is ingested into it as any other
        Experiments.create(a.http(), ws, "exp");
        assertThat(a.http().get(path + "/experiments/exp/sessions").json().at("/pagination/total_results").asInt())
                .isZero();
        Experiments.ingest(b.http(), ws, Trajectories.upstreamShape("s-4", "exp", "case-b", t, 0.25));
        JsonNode page = a.http().get(path + "/experiments/exp/sessions").json();
        assertThat(page.at("/pagination/total_results").asInt()).isEqualTo(1);
        assertThat(page.at("/data/0/session_id").asText()).isEqualTo("s-4");
        assertThat(page.at("/data/0/test_case_id").asText()).isEqualTo("case-b");
        assertThat(page.at("/data/0/evaluator_scores/reward").asDouble()).isEqualTo(0.25);
    }

    @Test
    void concurrentCreatesOfOneNameOnTwoInstancesMakeExactlyOneExperiment() throws Exception {
        String ws = Experiments.uniqueWorkspace();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "race-" + round;
            List<Http.Response> answers = race(i -> instance(i).post(
                    "/apis/intake/v2/workspaces/" + ws + "/experiments", experiment(name, i)));

            assertThat(count(answers, 201)).as("round %d: creates answered 201", round).isEqualTo(1);
            assertThat(count(answers, 409)).as("round %d: creates answered 409", round).isEqualTo(CONTENDERS - 1);
            String winner = answers.stream().filter(r -> r.status() == 201).findFirst().orElseThrow()
                    .json().get("id").asText();
            for (TestServer s : List.of(a, b)) {
                Http.Response got = s.http().get("/apis/intake/v2/workspaces/" + ws + "/experiments/" + name);
                assertThat(got.status()).isEqualTo(200);
                assertThat(got.json().get("id").asText()).as("round %d: every instance reads the winner", round)
                        .isEqualTo(winner);
                Http.Response listed = s.http().get("/apis/intake/v2/workspaces/" + ws + "/experiments?name=" + name);
                assertThat(listed.json().get("pagination").get("total_results").asLong()).isEqualTo(1);
            }
        }
    }

    @Test
    void aDeleteDeletesAndTheNameCanBeRecreatedOnceAgain() throws Exception {
        String ws = Experiments.uniqueWorkspace();
        for (int round = 0; round < ROUNDS / 2; round++) {
            String name = "cycle-" + round;
            String path = "/apis/intake/v2/workspaces/" + ws + "/experiments";
            assertThat(count(race(i -> instance(i).post(path, experiment(name, i))), 201)).isEqualTo(1);

            List<Http.Response> deletes = race(i -> instance(i).delete(path + "/" + name));
            assertThat(count(deletes, 204)).as("round %d: at least one delete succeeds", round).isGreaterThanOrEqualTo(1);
            assertThat(count(deletes, 204) + count(deletes, 404)).isEqualTo(CONTENDERS);
            for (TestServer s : List.of(a, b)) {
                assertThat(s.http().get(path + "/" + name).status()).as("round %d: deleted on every instance", round)
                        .isEqualTo(404);
            }

            assertThat(count(race(i -> instance(i).post(path, experiment(name, i))), 201))
                    .as("round %d: re-creating the deleted name", round).isEqualTo(1);
            assertThat(a.http().delete(path + "/" + name).status()).isEqualTo(204);
            assertThat(b.http().get(path + "/" + name).status()).isEqualTo(404);
        }
    }

    @Test
    void anUpdateRacingADeleteNeverBringsTheExperimentBack() throws Exception {
        String ws = Experiments.uniqueWorkspace();
        String path = "/apis/intake/v2/workspaces/" + ws + "/experiments";
        for (int round = 0; round < ROUNDS / 2; round++) {
            String name = "upd-" + round;
            assertThat(a.http().post(path, experiment(name, 0)).status()).isEqualTo(201);
            List<Http.Response> answers = race(i -> i == 0
                    ? instance(i).delete(path + "/" + name)
                    : instance(i).put(path + "/" + name, Map.of("name", name, "agent_name", "agent",
                            "agent_version", "v0", "dataset_name", "ds", "description", "update " + i)));
            assertThat(answers.get(0).status()).isEqualTo(204);
            for (TestServer s : List.of(a, b)) {
                assertThat(s.http().get(path + "/" + name).status()).as("round %d: deleted stays deleted", round)
                        .isEqualTo(404);
            }
        }
    }
}
