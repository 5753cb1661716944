package dev.intake.it;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ATIF trajectories for tests, built as JSON-ready maps so that tests can also send what the schema forbids.
 * Times are relative to now: a retention TTL must never drop test data.
 */
final class Trajectories {
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private Trajectories() {
        root.put("schema_version", "ATIF-v1.7");
        root.put("agent", new LinkedHashMap<>(Map.of("name", "test-agent", "version", "1.0.0", "model_name", "model-x")));
    }

    /** A trajectory of session {@code sessionId} in experiment {@code experiment}, test case {@code testCase}. */
    static Trajectories aTrajectory(String sessionId, String experiment, String testCase) {
        Trajectories t = new Trajectories();
        t.root.put("session_id", sessionId);
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("experiment_id", experiment);
        if (testCase != null) {
            ctx.put("test_case_id", testCase);
        }
        t.root.put("experiment_context", ctx);
        return t;
    }

    /** The upstream integration test's shape: one agent step at T, a verifier from T to T+1 s, reward {@code reward}. */
    static Trajectories upstreamShape(String sessionId, String experiment, String testCase, Instant t, double reward) {
        return aTrajectory(sessionId, experiment, testCase)
                .userStep("solve case " + testCase, t)
                .agentStep("done", t, 100L, 10L, null, 0.05)
                .verifier(t, t.plusMillis(1000))
                .reward("reward", reward);
    }

    Trajectories userStep(String message, Instant at) {
        Map<String, Object> s = step("user", at);
        s.put("message", message);
        return this;
    }

    Trajectories agentStep(String message, Instant at, Long prompt, Long completion, Long cached, Double costUsd) {
        Map<String, Object> s = step("agent", at);
        s.put("message", message);
        s.put("model_name", "model-x");
        Map<String, Object> metrics = new LinkedHashMap<>();
        putIfPresent(metrics, "prompt_tokens", prompt);
        putIfPresent(metrics, "completion_tokens", completion);
        putIfPresent(metrics, "cached_tokens", cached);
        putIfPresent(metrics, "cost_usd", costUsd);
        if (!metrics.isEmpty()) {
            s.put("metrics", metrics);
        }
        return this;
    }

    /** An agent step that calls a tool; {@code error} marks the observed result as an error. */
    Trajectories toolStep(Instant at, String callId, String function, String result, boolean error) {
        Map<String, Object> s = step("agent", at);
        s.put("message", "calling " + function);
        s.put("tool_calls", List.of(Map.of("tool_call_id", callId, "function_name", function,
                "arguments", Map.of("q", "x"))));
        Map<String, Object> observed = new LinkedHashMap<>();
        observed.put("source_call_id", callId);
        observed.put("content", result);
        if (error) {
            observed.put("extra", Map.of("is_error", true));
        }
        s.put("observation", Map.of("results", List.of(observed)));
        return this;
    }

    Trajectories verifier(Instant start, Instant end) {
        extra.put("verifier", Map.of("started_at", start.toString(), "finished_at", end.toString()));
        return this;
    }

    @SuppressWarnings("unchecked")
    Trajectories reward(String name, Object value) {
        Map<String, Object> result = (Map<String, Object>) extra.computeIfAbsent("verifier_result", k -> new LinkedHashMap<>());
        ((Map<String, Object>) result.computeIfAbsent("rewards", k -> new LinkedHashMap<>())).put(name, value);
        return this;
    }

    Trajectories finalMetrics(Map<String, Object> metrics) {
        root.put("final_metrics", metrics);
        return this;
    }

    /** Sets or replaces any top-level field (also ones the schema forbids). */
    Trajectories with(String field, Object value) {
        root.put(field, value);
        return this;
    }

    /** Removes a top-level field. */
    Trajectories without(String field) {
        root.remove(field);
        return this;
    }

    /** The last step added, to tweak. */
    Map<String, Object> lastStep() {
        return steps.get(steps.size() - 1);
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>(root);
        out.put("steps", steps);
        if (!extra.isEmpty()) {
            out.put("extra", extra);
        }
        return out;
    }

    private Map<String, Object> step(String source, Instant at) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("step_id", steps.size() + 1);
        if (at != null) {
            s.put("timestamp", at.toString());
        }
        s.put("source", source);
        steps.add(s);
        return s;
    }

    private static void putIfPresent(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
