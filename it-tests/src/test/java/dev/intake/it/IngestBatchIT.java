package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Batch ingest: many trajectories in one request, all or nothing. */
@ExtendWith(ContractChecked.class)
class IngestBatchIT {
    static final TestServer SERVER = TestServer.shared();
    static final Instant T = Instant.now().minusSeconds(1200);
    static Http http;

    @BeforeAll
    static void ready() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
    }

    static Http.Response batch(String ws, Trajectories... trajectories) {
        return http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif/batch",
                Map.of("trajectories", List.of(trajectories).stream().map(Trajectories::json).toList()));
    }

    @Test
    void storesEveryTrajectoryAndReportsEachInOrder() {
        String ws = Experiments.uniqueWorkspace();
        Experiments.create(http, ws, "exp");

        Http.Response r = batch(ws, Trajectories.upstreamShape("b-1", "exp", "c1", T, 1.0),
                Trajectories.upstreamShape("b-2", "exp", "c2", T.plusSeconds(1), 0.0),
                Trajectories.aTrajectory("b-3", "exp", null).userStep("q", T.plusSeconds(2)));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("results").findValuesAsText("session_id")).containsExactly("b-1", "b-2", "b-3");
        assertThat(r.json().get("spans_written").asInt()).isEqualTo(4 + 4 + 2);
        assertThat(r.json().get("evaluator_results_written").asInt()).isEqualTo(2);
        Http.Response list = http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions");
        assertThat(list.json().get("data").findValuesAsText("session_id")).containsExactly("b-1", "b-2", "b-3");
    }

    @Test
    void aBatchOfNewSessionsWithLongTextsIsListedWhole() {
        // the first-ingest rows carry each session's input and output: 100 sessions of 6,000 characters each make a
        // statement longer than ClickHouse's default max_query_size (256 KiB), which must not refuse it
        String ws = Experiments.uniqueWorkspace();
        Experiments.create(http, ws, "exp");
        String question = "why ".repeat(1_000);
        String answer = "because ".repeat(250);
        Trajectories[] batch = new Trajectories[100];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = Trajectories.aTrajectory(String.format("long-%03d", i), "exp", "c-" + i)
                    .userStep(question + i, T.plusMillis(i)).agentStep(answer + i, T.plusMillis(i).plusSeconds(1),
                            10L, 2L, null, null);
        }

        Http.Response r = batch(ws, batch);

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode page = http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions?page_size=100")
                .json();
        assertThat(page.at("/pagination/total_results").asInt()).isEqualTo(100);
        assertThat(page.get("data").get(7).get("input").asText()).isEqualTo(question + 7);
        assertThat(page.get("data").get(7).get("output").asText()).isEqualTo(answer + 7);
    }

    @Test
    void oneInvalidTrajectoryRejectsTheWholeBatchListingEveryPath() {
        String ws = Experiments.uniqueWorkspace();
        Experiments.create(http, ws, "exp");
        Trajectories misnumbered = Trajectories.aTrajectory("b-bad", "exp", null).userStep("q", T).with("surprise", 1);
        misnumbered.lastStep().put("step_id", 2);

        Http.Response r = batch(ws, Trajectories.upstreamShape("b-ok", "exp", "c", T, 1.0), misnumbered,
                Trajectories.aTrajectory("b-ok", "exp", null).userStep("dup", T));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
                "$.trajectories[1].surprise", "$.trajectories[1].steps[0].step_id", "$.trajectories[2].session_id");
        assertThat(http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions").json()
                .at("/pagination/total_results").asLong()).isZero();
    }

    @Test
    void anUnknownExperimentRejectsTheBatchNamingTheTrajectory() {
        String ws = Experiments.uniqueWorkspace();
        Experiments.create(http, ws, "exp");

        Http.Response r = batch(ws, Trajectories.upstreamShape("b-1", "exp", "c", T, 1.0),
                Trajectories.upstreamShape("b-2", "ghost", "c", T, 1.0));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("$.trajectories[1].experiment_context.experiment_id");
    }

    @Test
    void everyUnknownExperimentIsListedWithItsTrajectoryPathEvenInABatchOfOne() {
        String ws = Experiments.uniqueWorkspace();
        Experiments.create(http, ws, "exp");

        Http.Response one = batch(ws, Trajectories.upstreamShape("b-1", "ghost", "c", T, 1.0));
        assertThat(one.status()).isEqualTo(422);
        assertThat(one.json().get("errors").findValuesAsText("field"))
                .containsExactly("$.trajectories[0].experiment_context.experiment_id");

        Http.Response two = batch(ws, Trajectories.upstreamShape("b-1", "ghost", "c", T, 1.0),
                Trajectories.upstreamShape("b-2", "exp", "c", T, 1.0),
                Trajectories.upstreamShape("b-3", "phantom", "c", T, 1.0));
        assertThat(two.status()).isEqualTo(422);
        assertThat(two.json().get("errors").findValuesAsText("field")).containsExactly(
                "$.trajectories[0].experiment_context.experiment_id", "$.trajectories[2].experiment_context.experiment_id");
        assertThat(two.json().get("detail").asText()).contains("'ghost'").contains("'phantom'");
    }

    @Test
    void aNullTrajectoryIs422() {
        Http.Response r = http.post("/apis/intake/v2/workspaces/ws/ingest/atif/batch",
                "{\"trajectories\":[null]}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("$.trajectories[0]");
    }

    @Test
    void anEmptyBatchIs422() {
        Http.Response r = http.post("/apis/intake/v2/workspaces/ws/ingest/atif/batch", Map.of("trajectories", List.of()));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("$.trajectories");
    }
}
