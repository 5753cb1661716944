package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.sdk.api.IngestApi;
import dev.intake.sdk.model.AtifTrajectory;
import dev.intake.sdk.model.IngestResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ATIF ingest: the exact rows written, idempotent re-ingest, and the session index written last. */
@ExtendWith(ContractChecked.class)
class IngestIT {
    static final TestServer SERVER = TestServer.shared();
    static final Instant T = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static Db db;
    static Http http;

    @BeforeAll
    static void connect() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        db = new Db(SERVER);
        http = SERVER.http();
    }

    static Trajectories multiStep(String session, String exp) {
        return Trajectories.aTrajectory(session, exp, "tc-7")
                .userStep("What is 2+2?", T)
                .agentStep("Let me check.", T.plusSeconds(1), 120L, 30L, 20L, 0.0012)
                .toolStep(T.plusSeconds(2), "call-1", "calculator", "4", false)
                .toolStep(T.plusSeconds(3), "call-2", "search", "[error] timeout", true)
                .agentStep("It is 4.", T.plusSeconds(4), 200L, 5L, null, 0.003)
                .verifier(T.plusSeconds(5), T.plusSeconds(7))
                .reward("correct", true)
                .reward("quality", 0.75)
                .reward("verdict", "looks fine");
    }

    @Test
    void aTrajectoryWithoutAnExperimentIsStoredAloneAndInABatch() {
        // no experiment to look up or to list it in: its rows are written, no session row is published, and the
        // write never asks which experiments were found gone
        String ws = Experiments.uniqueWorkspace();
        Map<String, Object> body = Map.of("schema_version", "ATIF-v1.0",
                "agent", Map.of("name", "0", "version", "0", "model_name", "", "extra", Map.of()));
        Http.Response single = http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif", body);
        assertThat(single.status()).as(single.body()).isEqualTo(201);
        create(http, ws, "exp");
        Http.Response batch = http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif/batch",
                Map.of("trajectories", List.of(body, Trajectories.upstreamShape("s-1", "exp", "case-a", T, 1.0).json())));
        assertThat(batch.status()).as(batch.body()).isEqualTo(201);
        assertThat(http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions").json()
                .at("/pagination/total_results").asInt()).isEqualTo(1);
    }

    @Test
    void upstreamPayloadThroughTheSdkWritesRootStepEvaluatorAndOneResult() throws Exception {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        AtifTrajectory payload = SERVER.sdk().getObjectMapper().convertValue(
                Trajectories.upstreamShape("exp-1-case-a", "exp", "case-a", T, 1.0).json(), AtifTrajectory.class);

        IngestResult result = new IngestApi(SERVER.sdk()).ingestAtifTrajectory(ws, payload);

        assertThat(result.getSessionId()).isEqualTo("exp-1-case-a");
        assertThat(result.getExperimentName()).isEqualTo("exp");
        assertThat(result.getTestCaseId()).isEqualTo("case-a");
        assertThat(result.getSpansWritten()).isEqualTo(4); // root, user step, agent step, evaluator
        assertThat(result.getEvaluatorResultsWritten()).isEqualTo(1);
        List<Map<String, Object>> spans = currentSpans(ws, "exp-1-case-a");
        assertThat(spans).extracting(s -> s.get("kind")).containsExactlyInAnyOrder("AGENT", "AGENT", "LLM", "EVALUATOR");
        Map<String, Object> root = only(spans, "parent_span_id", "");
        assertThat(root.get("span_id")).isEqualTo(result.getRootSpanId());
        assertThat(root.get("status")).isEqualTo("success");
        assertThat(root.get("input")).isEqualTo("solve case case-a");
        assertThat(map(root.get("attributes_string"))).containsEntry("experiment.id", "exp")
                .containsEntry("test_case.id", "case-a");
        Map<String, Object> llm = only(spans, "kind", "LLM");
        assertThat(map(llm.get("attributes_number"))).containsEntry("llm.token_count.prompt", 100.0)
                .containsEntry("llm.token_count.completion", 10.0).containsEntry("llm.token_count.total", 110.0)
                .containsEntry("cost.total", 50000.0);
        assertThat(llm.get("parent_span_id")).isEqualTo(result.getRootSpanId());
    }

    @Test
    void multiStepTrajectoryWritesToolSpansErrorStatusAndOneResultPerReward() {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");

        ingest(http, ws, multiStep("s-multi", "exp"));

        List<Map<String, Object>> spans = currentSpans(ws, "s-multi");
        assertThat(spans).hasSize(1 + 5 + 2 + 1); // root, 5 steps, 2 tool calls, evaluator
        Map<String, Object> root = only(spans, "parent_span_id", "");
        assertThat(root.get("status")).as("a tool observation is an error").isEqualTo("error");
        assertThat(instant(root.get("start_time"))).isEqualTo(T);
        assertThat(instant(root.get("end_time"))).isEqualTo(T.plusSeconds(7));
        assertThat(root.get("output")).isEqualTo("It is 4.");
        Map<String, Object> calc = only(spans, "name", "calculator");
        assertThat(calc.get("kind")).isEqualTo("TOOL");
        assertThat(calc.get("status")).isEqualTo("success");
        assertThat(calc.get("output")).isEqualTo("4");
        assertThat(calc.get("parent_span_id")).isEqualTo(only(spans, "name", "agent-3").get("span_id"));
        assertThat(only(spans, "name", "search").get("status")).isEqualTo("error");
        Map<String, Object> evaluator = only(spans, "kind", "EVALUATOR");
        assertThat(evaluator.get("parent_span_id")).isEqualTo(root.get("span_id"));
        assertThat(instant(evaluator.get("start_time"))).isEqualTo(T.plusSeconds(5));

        List<Map<String, Object>> results = db.rows("SELECT name, toString(data_type) AS data_type, value, string_value,"
                + " span_id, evaluator_result_id FROM evaluator_results FINAL WHERE workspace = ? AND session_id = ?"
                + " AND is_deleted = 0 ORDER BY name", ws, "s-multi");
        assertThat(results).extracting(r -> r.get("name") + "=" + r.get("data_type") + ":" + r.get("value") + ":" + r.get("string_value"))
                .containsExactly("correct=BOOLEAN:1.0:null", "quality=NUMERIC:0.75:null", "verdict=TEXT:null:looks fine");
        assertThat(results).allSatisfy(r -> assertThat(r.get("span_id")).isEqualTo(evaluator.get("span_id")));
        assertThat(results).allSatisfy(r -> assertThat((String) r.get("evaluator_result_id")).startsWith("eval-"));

        Map<String, Object> costs = db.rows("SELECT sum(attributes_number['cost.total']) AS micro FROM spans FINAL"
                + " WHERE workspace = ? AND session_id = ? AND is_deleted = 0", ws, "s-multi").get(0);
        assertThat(costs.get("micro")).isEqualTo(4200.0); // 0.0012 + 0.003 USD in micro-USD
    }

    @Test
    void reIngestReplacesRowsAndNeverDuplicates() {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, multiStep("s-again", "exp"));
        List<Object> idsBefore = currentSpans(ws, "s-again").stream().map(s -> s.get("span_id")).toList();

        ingest(http, ws, multiStep("s-again", "exp"));
        ingest(http, ws, multiStep("s-again", "exp"));

        assertThat(currentSpans(ws, "s-again").stream().map(s -> s.get("span_id")).toList())
                .containsExactlyInAnyOrderElementsOf(idsBefore);
        Http.Response list = http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions");
        assertThat(list.json().at("/pagination/total_results").asLong()).isEqualTo(1);
        assertThat(list.json().at("/data/0/input_tokens").asLong()).isEqualTo(320);
        assertThat(list.json().at("/data/0/evaluator_scores/correct").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aShorterReIngestLeavesNoStaleSpansOrResults() {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, multiStep("s-short", "exp"));

        ingest(http, ws, Trajectories.aTrajectory("s-short", "exp", "tc-7").userStep("again", T)
                .agentStep("ok", T.plusSeconds(1), 1L, 1L, null, null));

        assertThat(currentSpans(ws, "s-short")).hasSize(3);
        Http.Response list = http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions");
        assertThat(list.json().at("/data/0/input_tokens").asLong()).isEqualTo(1);
        assertThat(list.json().at("/data/0/cost_total_usd").isNull()).isTrue();
        assertThat(list.json().at("/data/0/evaluator_scores").size()).isZero();
        assertThat(list.json().at("/data/0/status").asText()).isEqualTo("success");
    }

    @Test
    void finalMetricsCountOnlyForMetricsNoStepCarries() {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");

        ingest(http, ws, Trajectories.aTrajectory("s-final", "exp", null).userStep("q", T)
                .agentStep("a", T.plusSeconds(1), 10L, null, null, null)
                .finalMetrics(Map.of("total_prompt_tokens", 999, "total_completion_tokens", 7, "total_cost_usd", 0.25)));

        Http.Response list = http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions");
        assertThat(list.json().at("/data/0/input_tokens").asLong()).as("steps carry prompt tokens").isEqualTo(10);
        assertThat(list.json().at("/data/0/output_tokens").asLong()).isEqualTo(7);
        assertThat(list.json().at("/data/0/cost_total_usd").asDouble()).isEqualTo(0.25);
        assertThat(list.json().at("/data/0/test_case_id").isNull()).isTrue();
    }

    @Test
    void sessionIdIsGeneratedWhenAbsent() {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        Http.Response r = ingest(http, ws, Trajectories.aTrajectory("x", "exp", null).without("session_id")
                .userStep("q", T));

        assertThat(r.json().get("session_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(r.json().get("trace_id").asText()).isEqualTo(r.json().get("session_id").asText());
    }

    @Test
    void sessionAppearsInTheListOnlyAfterItsSpansAndResultsAreWritten() {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        String sessions = "/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions";
        // Spans written by another producer, without an index refresh, do not make a session appear...
        ForeignSpan.root(ws, "s-late", "s-late", "r-1", "exp").insertInto(db);
        assertThat(http.get(sessions).json().at("/pagination/total_results").asLong()).isZero();

        // ...the index row is written by ingest's last statement, after the spans and results.
        ingest(http, ws, Trajectories.upstreamShape("s-late", "exp", "c", T, 1.0));

        assertThat(http.get(sessions).json().at("/pagination/total_results").asLong()).isEqualTo(1);
    }

    @Test
    void textThatLooksLikeJdbcEscapesIsStoredAndFoundExactly() {
        // A JDBC driver with escape processing on rewrites {fn …}, {d '…'} and {ts '…'} anywhere in a statement's
        // text, the values it binds into string literals included: stored text and filter values would change.
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        String testCase = "case {fn ucase('a')}";
        String question = "Was it {d '2024-01-31'} or {ts '2024-01-31 10:00:00'}?";
        String answer = "It was {fn now()}.";

        ingest(http, ws, Trajectories.aTrajectory("s-escapes", "exp", testCase).userStep(question, T)
                .agentStep(answer, T.plusSeconds(1), 1L, 1L, null, null));
        Http.Response batch = http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif/batch",
                Map.of("trajectories", List.of(Trajectories.aTrajectory("s-escapes-2", "exp", testCase)
                        .userStep(question, T).agentStep(answer, T.plusSeconds(1), 1L, 1L, null, null).json())));
        assertThat(batch.status()).as(batch.body()).isEqualTo(201);

        Http.Response list = http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions?test_case_id="
                + java.net.URLEncoder.encode(testCase, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(list.json().at("/pagination/total_results").asLong()).as(list.body()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(list.json().at("/data/" + i + "/test_case_id").asText()).isEqualTo(testCase);
            assertThat(list.json().at("/data/" + i + "/input").asText()).isEqualTo(question);
            assertThat(list.json().at("/data/" + i + "/output").asText()).isEqualTo(answer);
        }
        assertThat(currentSpans(ws, "s-escapes-2")).extracting(s -> s.get("output")).contains(answer);
    }

    private static List<Map<String, Object>> currentSpans(String ws, String session) {
        return db.rows("SELECT span_id, parent_span_id, kind, name, status, start_time, end_time, input, output,"
                + " attributes_string, attributes_number FROM spans FINAL WHERE workspace = ? AND session_id = ?"
                + " AND is_deleted = 0", ws, session);
    }

    private static Map<String, Object> only(List<Map<String, Object>> rows, String column, Object value) {
        List<Map<String, Object>> matching = rows.stream().filter(r -> value.equals(r.get(column)))
                .collect(Collectors.toList());
        assertThat(matching).as(column + "=" + value).hasSize(1);
        return matching.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Instant instant(Object timestamp) {
        return ((java.sql.Timestamp) timestamp).toInstant();
    }
}
