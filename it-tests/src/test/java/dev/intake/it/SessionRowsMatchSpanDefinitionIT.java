package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The list reads precomputed per-session rows; this proves they equal the span-level definition (sums over
 * current spans, means over current results, earliest root), evaluated straight from spans and results by an
 * independent query, for every fixture: plain, multi-step with errors, final metrics, re-ingested, shortened,
 * zero metrics, no metrics, extra results and extra roots from another producer, a session moved away.
 */
@ExtendWith(ContractChecked.class)
class SessionRowsMatchSpanDefinitionIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final Instant T = Instant.now().minus(7, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static Http http;
    static Db db;

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        db = new Db(SERVER);
        create(http, WS, "exp");
        create(http, WS, "other");
        // Rows written by another producer count once the session is ingested (ingest recomputes the session).
        db.execute("INSERT INTO evaluator_results (workspace, session_id, span_id, name, evaluator_result_id, data_type,"
                + " value, created_at, ingested_at) VALUES (?, 'f-plain', 'x', 'reward', 'r-1', 'NUMERIC', 0.25, now64(6), now64(6))", WS);
        ingest(http, WS, Trajectories.upstreamShape("f-plain", "exp", "a", T, 1.0));
        ingest(http, WS, IngestIT.multiStep("f-multi", "exp"));
        ingest(http, WS, Trajectories.aTrajectory("f-final", "exp", "b").userStep("q", T.plusSeconds(1))
                .agentStep("a", T.plusSeconds(2), 10L, null, null, null)
                .finalMetrics(Map.of("total_completion_tokens", 9, "total_cost_usd", 0.123456)));
        ingest(http, WS, Trajectories.aTrajectory("f-zero", "exp", "c").agentStep("z", T.plusSeconds(3), 0L, 0L, 0L, 0.0));
        ingest(http, WS, Trajectories.aTrajectory("f-none", "exp", null).userStep("only a question", T.plusSeconds(4)));
        ingest(http, WS, IngestIT.multiStep("f-short", "exp"));
        ingest(http, WS, Trajectories.aTrajectory("f-short", "exp", "d").userStep("again", T.plusSeconds(5))
                .agentStep("ok", T.plusSeconds(6), 3L, 4L, null, 0.000001));
        ForeignSpan.root(WS, "f-roots", "t-early", "early-root", "exp").status("error").input("early")
                .at(T.plusSeconds(6), null).number("llm.token_count.prompt", 7).insertInto(db);
        ingest(http, WS, Trajectories.upstreamShape("f-roots", "exp", "e", T.plusSeconds(8), 0.5));
        ingest(http, WS, Trajectories.upstreamShape("f-moved", "exp", "f", T.plusSeconds(9), 1.0));
        ingest(http, WS, Trajectories.upstreamShape("f-moved", "other", "f", T.plusSeconds(9), 1.0));
        ingest(http, WS, Trajectories.aTrajectory("f-open", "exp", "g").userStep("no end", null)
                .toolStep(null, "c", "f", "[error] nope", false));
    }

    @Test
    void everyRowEqualsTheSpanLevelDefinition() throws IOException {
        for (String experiment : List.of("exp", "other")) {
            List<Map<String, Object>> expected = new ArrayList<>();
            for (Map<String, Object> row : db.rows(sql(), WS, experiment, WS)) {
                expected.add(normalize(row));
            }
            List<Map<String, Object>> actual = new ArrayList<>();
            for (JsonNode row : http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/" + experiment
                    + "/sessions?page_size=1000").json().get("data")) {
                actual.add(normalize(row));
            }

            assertThat(actual).as(experiment).isNotEmpty().containsExactlyElementsOf(expected);
        }
    }

    /** The comparable values of a span-level row. */
    static Map<String, Object> normalize(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", r.get("session_id"));
        m.put("trace_id", r.get("trace_id"));
        m.put("root_span_id", r.get("root_span_id"));
        m.put("started_at", instant((String) r.get("started_at")));
        m.put("ended_at", instant((String) r.get("ended_at")));
        m.put("latency_ms", r.get("latency_ms"));
        m.put("status", r.get("status"));
        m.put("input", r.get("input"));
        m.put("test_case_id", r.get("test_case_id"));
        m.put("input_tokens", whole(r.get("input_tokens")));
        m.put("output_tokens", whole(r.get("output_tokens")));
        m.put("cached_tokens", whole(r.get("cached_tokens")));
        m.put("cost_total_usd", r.get("cost_total_usd"));
        Map<String, Double> scores = new TreeMap<>();
        if (r.get("evaluator_scores") instanceof Map<?, ?> s) {
            s.forEach((k, v) -> scores.put((String) k, ((Number) v).doubleValue()));
        }
        m.put("evaluator_scores", scores);
        return m;
    }

    /** The same values of an API row. */
    static Map<String, Object> normalize(JsonNode r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", r.get("session_id").asText());
        m.put("trace_id", r.get("trace_id").asText());
        m.put("root_span_id", r.get("root_span_id").asText());
        m.put("started_at", Instant.parse(r.get("started_at").asText()));
        m.put("ended_at", r.get("ended_at").isNull() ? null : Instant.parse(r.get("ended_at").asText()));
        m.put("latency_ms", r.get("latency_ms").isNull() ? null : r.get("latency_ms").asDouble());
        m.put("status", r.get("status").asText());
        m.put("input", r.get("input").isNull() ? null : r.get("input").asText());
        m.put("test_case_id", r.get("test_case_id").isNull() ? null : r.get("test_case_id").asText());
        m.put("input_tokens", r.get("input_tokens").isNull() ? null : r.get("input_tokens").asLong());
        m.put("output_tokens", r.get("output_tokens").isNull() ? null : r.get("output_tokens").asLong());
        m.put("cached_tokens", r.get("cached_tokens").isNull() ? null : r.get("cached_tokens").asLong());
        m.put("cost_total_usd", r.get("cost_total_usd").isNull() ? null : r.get("cost_total_usd").asDouble());
        Map<String, Double> scores = new TreeMap<>();
        r.get("evaluator_scores").fields().forEachRemaining(e -> scores.put(e.getKey(), e.getValue().asDouble()));
        m.put("evaluator_scores", scores);
        return m;
    }

    private static Long whole(Object v) {
        return v == null ? null : Math.round(((Number) v).doubleValue());
    }

    private static Instant instant(String clickhouse) {
        return clickhouse == null ? null : LocalDateTime.parse(clickhouse.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    /** The span-level definition (span-level-sessions.sql); parameters: workspace, experiment name, workspace. */
    static String sql() throws IOException {
        try (InputStream in = SessionRowsMatchSpanDefinitionIT.class.getResourceAsStream("span-level-sessions.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
