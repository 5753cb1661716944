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

/** Every way an ingest is refused, each with its status and the offending field paths; nothing is written. */
@ExtendWith(ContractChecked.class)
class IngestRejectionsIT {
    static final TestServer SERVER = TestServer.shared();
    static final Instant T = Instant.now().minusSeconds(600);
    static final String WS = Experiments.uniqueWorkspace();
    static Http http;

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        Experiments.create(http, WS, "exp");
    }

    static Http.Response ingest(Object body) {
        return http.post("/apis/intake/v2/workspaces/" + WS + "/ingest/atif", body);
    }

    static List<String> fields(Http.Response r) {
        return r.json().get("errors").findValuesAsText("field");
    }

    @Test
    void unknownExperimentIs400NamingIt() {
        Http.Response r = ingest(Trajectories.aTrajectory("s-1", "never-created", null).userStep("q", T).json());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asText()).isEqualTo("Experiment 'never-created' must be created before it can be logged.");
        assertThat(fields(r)).containsExactly("$.experiment_context.experiment_id");
    }

    @Test
    void schemaViolationsAre422ListingEachPath() {
        Trajectories t = Trajectories.aTrajectory("s-2", "exp", null).with("surprise", 1).userStep("q", T)
                .agentStep("a", T, 1L, 1L, null, null);
        t.lastStep().put("colour", "blue");
        t.lastStep().put("metrics", Map.of("prompt_tokens", -5));
        Map<String, Object> body = t.json();
        body.put("agent", Map.of("name", "", "version", "1"));

        Http.Response r = ingest(body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).contains("$.surprise", "$.steps[1].colour", "$.steps[1].metrics.prompt_tokens", "$.agent.name");
    }

    @Test
    void nonSequentialStepIdsAre422() {
        Trajectories t = Trajectories.aTrajectory("s-3", "exp", null).userStep("q", T).userStep("q2", T).userStep("q3", T);
        t.json();
        Map<String, Object> body = t.json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) body.get("steps");
        steps.get(1).put("step_id", 3);
        steps.get(2).put("step_id", 2);

        Http.Response r = ingest(body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.steps[1].step_id", "$.steps[2].step_id");
    }

    @Test
    void duplicateToolCallIdsAndUnknownObservationReferencesAre422() {
        Trajectories t = Trajectories.aTrajectory("s-4", "exp", null).toolStep(T, "c1", "f", "ok", false);
        t.lastStep().put("tool_calls", List.of(Map.of("tool_call_id", "c1", "function_name", "f"),
                Map.of("tool_call_id", "c1", "function_name", "g")));
        t.lastStep().put("observation", Map.of("results", List.of(Map.of("source_call_id", "c9", "content", "x"))));

        Http.Response r = ingest(t.json());

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.steps[0].tool_calls[1].tool_call_id",
                "$.steps[0].observation.results[0].source_call_id");
    }

    @Test
    void agentOnlyFieldsOnAUserStepAndBadVerifierDataAre422() {
        Trajectories t = Trajectories.aTrajectory("s-5", "exp", null).userStep("q", T).reward("x", List.of(1));
        t.lastStep().put("model_name", "m");
        Map<String, Object> body = t.json();
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) body.get("extra");
        extra.put("verifier", Map.of("started_at", "yesterday"));

        Http.Response r = ingest(body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.steps[0].model_name", "$.extra.verifier.started_at",
                "$.extra.verifier_result.rewards.x");
    }

    @Test
    void schemaAndAtifRuleProblemsAreListedInOneAnswer() {
        Trajectories t = Trajectories.aTrajectory("s-both", "exp", null).userStep("q", T).with("surprise", 1);
        t.lastStep().put("step_id", 5);
        t.lastStep().put("metrics", Map.of("prompt_tokens", 3));

        Http.Response r = ingest(t.json());

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.surprise", "$.steps[0].step_id", "$.steps[0].metrics");
    }

    @Test
    void wrongTypesAndBadEnumsAre422() {
        assertThat(fields(ingest(Map.of("schema_version", "ATIF-v9", "agent", Map.of("name", "a", "version", "1")))))
                .containsExactly("$.schema_version");
        Map<String, Object> badTime = Trajectories.aTrajectory("s-6", "exp", null).userStep("q", T).json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) badTime.get("steps");
        steps.get(0).put("timestamp", "not a time");
        assertThat(fields(ingest(badTime))).containsExactly("$.steps[0].timestamp");
        assertThat(ingest("[1, 2]").status()).isEqualTo(422);
        assertThat(ingest("{").status()).isEqualTo(422);
        assertThat(ingest("").status()).isEqualTo(422);
    }

    @Test
    void bodiesOverTheLimitAre413() {
        TestServer small = TestServer.start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "MAX_BODY_BYTES", "2048"));
        try {
            small.awaitReady(Duration.ofSeconds(30));
            Http.Response r = small.http().post("/apis/intake/v2/workspaces/" + WS + "/ingest/atif",
                    Trajectories.aTrajectory("s-big", "exp", null).userStep("x".repeat(5000), T).json());

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.json().get("detail").asText()).contains("2048 bytes");
        } finally {
            small.close();
        }
    }

    @Test
    void nothingOfARejectedTrajectoryIsWritten() {
        ingest(Trajectories.aTrajectory("s-rejected", "exp", null).userStep("q", T).with("surprise", true).json());
        ingest(Trajectories.aTrajectory("s-rejected", "nope", null).userStep("q", T).json());

        JsonNode spans = Http.JSON.valueToTree(new Db(SERVER).rows(
                "SELECT count() AS n FROM spans WHERE workspace = ? AND session_id = 's-rejected'", WS));
        assertThat(spans.at("/0/n").asLong()).isZero();
    }
}
