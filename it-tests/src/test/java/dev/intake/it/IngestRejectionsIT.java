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
    void unknownExperimentIs422NamingIt() {
        Http.Response r = ingest(Trajectories.aTrajectory("s-1", "never-created", null).userStep("q", T).json());

        assertThat(r.status()).isEqualTo(422);
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
        Http.Response v9 = ingest(Map.of("schema_version", "ATIF-v9", "agent", Map.of("name", "a", "version", "1")));
        assertThat(fields(v9)).containsExactly("$.schema_version");
        assertThat(v9.json().at("/errors/0/message").asText()).startsWith("must be one of [ATIF-v1.0,");
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

    @Test
    void badEnumsAndWrongTypesDoNotStopTheCheckAndNoMessageNamesAJavaType() {
        Trajectories t = Trajectories.aTrajectory("s-enum", "exp", null).userStep("q", T).agentStep("a", T, 1L, 1L, null, null)
                .userStep("q2", T).with("surprise", 1).with("schema_version", "ATIF-v9");
        t.lastStep().put("source", "robot");
        Map<String, Object> body = t.json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) body.get("steps");
        steps.get(0).put("step_id", "one");
        steps.get(1).put("metrics", Map.of("prompt_tokens", "many", "cached_tokens", -1));
        steps.get(1).put("step_id", 7);
        body.put("agent", Map.of("name", 5, "version", "1"));

        Http.Response r = ingest(body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.schema_version", "$.surprise", "$.steps[0].step_id",
                "$.steps[1].step_id", "$.steps[1].metrics.prompt_tokens", "$.steps[1].metrics.cached_tokens",
                "$.steps[2].source", "$.agent.name");
        assertThat(r.body()).doesNotContain("dev.intake").doesNotContain("java.").doesNotContain("`")
                .doesNotContain("Cannot ");
    }

    @Test
    void nullWhereTheSpecForbidsItIs422ForEveryField() {
        Map<String, Object> body = Trajectories.aTrajectory("s-null", "exp", null).userStep("q", T)
                .agentStep("a", T, 1L, 1L, null, null).json();
        body.put("extra", null);
        body.put("notes", null);
        body.put("final_metrics", new java.util.HashMap<>(java.util.Collections.singletonMap("total_prompt_tokens", null)));
        Map<String, Object> agent = new java.util.HashMap<>(Map.of("name", "a", "version", "1"));
        agent.put("model_name", null);
        body.put("agent", agent);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) body.get("steps");
        steps.get(1).put("tool_calls", java.util.Collections.singletonList(null));
        steps.get(1).put("observation", Map.of("results", java.util.Collections.singletonList(null)));
        steps.get(1).put("metrics", Map.of("prompt_token_ids", java.util.Arrays.asList(1, null)));

        Http.Response r = ingest(body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.extra", "$.notes", "$.final_metrics.total_prompt_tokens",
                "$.agent.model_name", "$.steps[1].tool_calls[0]", "$.steps[1].observation.results[0]",
                "$.steps[1].metrics.prompt_token_ids[1]");
        assertThat(r.json().get("errors").findValuesAsText("message")).allMatch(m -> m.equals("must not be null"));

        for (String field : List.of("steps", "experiment_context", "session_id")) {
            Map<String, Object> one = Trajectories.aTrajectory("s-null-" + field, "exp", null).userStep("q", T).json();
            one.put(field, null);
            assertThat(fields(ingest(one))).as(field).containsExactly("$." + field);
        }
    }

    @Test
    void valuesAndSumsTheStoreCannotKeepExactlyAre422NamingTheField() {
        Trajectories huge = Trajectories.aTrajectory("s-huge", "exp", null).userStep("q", T)
                .agentStep("a", T, Long.MAX_VALUE, 1L << 62, null, 1e13);
        assertThat(fields(ingest(huge.json()))).containsExactlyInAnyOrder("$.steps[1].metrics.prompt_tokens",
                "$.steps[1].metrics.completion_tokens", "$.steps[1].metrics.cost_usd");

        long half = 1L << 52;
        Trajectories sums = Trajectories.aTrajectory("s-sums", "exp", null).userStep("q", T)
                .agentStep("a", T, half, 1L, null, 5e9).agentStep("b", T, half, 1L, null, 5e9)
                .finalMetrics(Map.of("total_cached_tokens", 1L << 53, "total_cost_usd", 1e10));
        Http.Response r = ingest(sums.json());
        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("$.steps[2].metrics.prompt_tokens",
                "$.steps[2].metrics.cost_usd", "$.final_metrics.total_cached_tokens", "$.final_metrics.total_cost_usd");

        Trajectories total = Trajectories.aTrajectory("s-total", "exp", null).userStep("q", T)
                .agentStep("a", T, (1L << 53) - 1, 1L, null, null);
        assertThat(fields(ingest(total.json()))).as("a step's prompt + completion is stored as its total")
                .containsExactly("$.steps[1].metrics");

        Trajectories fits = Trajectories.aTrajectory("s-fits", "exp", null).userStep("q", T)
                .agentStep("a", T, half, 0L, null, 4.5e9).agentStep("b", T, half - 1, 0L, null, 4e9);
        Experiments.ingest(http, WS, fits);
        JsonNode row = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions").json().get("data")
                .findParents("session_id").stream().filter(n -> n.get("session_id").asText().equals("s-fits"))
                .findFirst().orElseThrow();
        assertThat(row.get("input_tokens").asLong()).isEqualTo((1L << 53) - 1);
        assertThat(row.get("cost_total_usd").asDouble()).isEqualTo(8.5e9);
    }

    @Test
    void badDataIs422AtTheEdgeNeverAnOutage() {
        Trajectories costly = Trajectories.aTrajectory("s-poison", "exp", null).userStep("q", T)
                .agentStep("a", T, 1L, 1L, null, 1e303);
        assertThat(fields(ingest(costly.json()))).containsExactly("$.steps[1].metrics.cost_usd");
        assertThat(fields(ingest(poisonNumber()))).containsExactly("$.steps[1].metrics.cost_usd");
        for (String time : List.of("+10000-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "2300-01-01T00:00:00Z",
                "2026-06-30T23:59:60Z", "2026-01-01T00:00:00+24:00")) {
            Map<String, Object> body = Trajectories.aTrajectory("s-poison", "exp", null).userStep("q", T).json();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> steps = (List<Map<String, Object>>) body.get("steps");
            steps.get(0).put("timestamp", time);
            Http.Response r = ingest(body);
            assertThat(r.status()).as(time).isEqualTo(422);
            assertThat(fields(r)).as(time).containsExactly("$.steps[0].timestamp");
        }
        Map<String, Object> verifier = Trajectories.aTrajectory("s-poison", "exp", null).userStep("q", T)
                .verifier(T, T).json();
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) verifier.get("extra");
        extra.put("verifier", Map.of("started_at", "9999-01-01T00:00:00Z"));
        assertThat(fields(ingest(verifier))).containsExactly("$.extra.verifier.started_at");
        JsonNode spans = Http.JSON.valueToTree(new Db(SERVER).rows(
                "SELECT count() AS n FROM spans WHERE workspace = ? AND session_id = 's-poison'", WS));
        assertThat(spans.at("/0/n").asLong()).as("nothing of a rejected trajectory is written").isZero();
    }

    /** cost_usd 1e309: valid JSON, but past what a double holds. */
    private static String poisonNumber() {
        return "{\"schema_version\":\"ATIF-v1.7\",\"session_id\":\"s-poison\",\"agent\":{\"name\":\"a\",\"version\":\"1\"},"
                + "\"steps\":[{\"step_id\":1,\"source\":\"user\",\"message\":\"q\"},"
                + "{\"step_id\":2,\"source\":\"agent\",\"message\":\"a\",\"metrics\":{\"cost_usd\":1e309}}]}";
    }
}
