package dev.intake.bench.corpus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * ATIF trajectories of the upstream benchmark shape (upstream-intake.md §9), built deterministically from
 * (experiment, index) so a resumed or repeated seed sends the same sessions and the ingest replaces, never duplicates.
 * Each maps to 20 spans: the root, 1 user step, 16 agent steps with token and cost metrics, 1 tool call (on agent
 * step 9) and the verifier's EVALUATOR span; and to 2 NUMERIC results ({@code quality}, {@code safety}).
 * About 8 % of the sessions have a failing tool call, which makes the session's status {@code error}.
 */
public final class Trajectories {
    public static final int SPANS_PER_SESSION = 20;
    public static final int RESULTS_PER_SESSION = 2;
    public static final int TEST_CASES = 50;
    private static final int STEPS = 17;
    private static final int TOOL_STEP = 9;
    private static final long WINDOW_MS = 20L * 24 * 3600 * 1000;
    /** Random printable text; messages are slices of it at random offsets: cheap to make, not compressible. */
    private static final String TEXT = randomText(1 << 16);

    private final Instant now;

    /** @param now the corpus's "now"; start times fall in the 20 days before it */
    public Trajectories(Instant now) {
        this.now = now;
    }

    /** Session id of an experiment's session: a UUID that looks random but is stable. */
    public static String sessionId(String experiment, long index) {
        return UUID.nameUUIDFromBytes((experiment + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Map<String, Object> trajectory(String experiment, long index) {
        return trajectory(experiment, sessionId(experiment, index), index);
    }

    public Map<String, Object> trajectory(String experiment, String sessionId, long index) {
        SplittableRandom rnd = new SplittableRandom(sessionId.hashCode() * 31L + index);
        Instant start = now.minusMillis(1 + rnd.nextLong(WINDOW_MS));
        boolean toolError = rnd.nextInt(100) < 8;
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(step(1, "user", start, text(rnd, 400)));
        for (int s = 2; s <= STEPS; s++) {
            Map<String, Object> step = step(s, "agent", start.plusMillis(s * 2000L), text(rnd, 250));
            step.put("metrics", metrics(rnd));
            if (s == TOOL_STEP) {
                step.put("tool_calls", List.of(Map.of("tool_call_id", "call-1", "function_name", "search_tool",
                        "arguments", Map.of("query", text(rnd, 40)))));
                step.put("observation", Map.of("results", List.of(Map.of("source_call_id", "call-1",
                        "content", text(rnd, 200), "extra", Map.of("is_error", toolError)))));
            }
            steps.add(step);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("schema_version", "ATIF-v1.6");
        t.put("session_id", sessionId);
        t.put("agent", Map.of("name", "bench-agent", "version", "1.0", "model_name", "model-x"));
        t.put("experiment_context", Map.of("experiment_id", experiment, "test_case_id", "case-" + (index % TEST_CASES)));
        t.put("steps", steps);
        t.put("extra", Map.of(
                "verifier", Map.of("started_at", start.plusMillis(36_000).toString(),
                        "finished_at", start.plusMillis(40_000).toString()),
                "verifier_result", Map.of("rewards", Map.of(
                        "quality", Math.round(rnd.nextDouble() * 1000) / 1000.0,
                        "safety", toolError ? 0.0 : Math.round((0.5 + rnd.nextDouble() / 2) * 1000) / 1000.0))));
        return t;
    }

    private static Map<String, Object> step(int id, String source, Instant at, String message) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("step_id", id);
        step.put("source", source);
        step.put("timestamp", at.toString());
        step.put("message", message);
        return step;
    }

    /** Token counts with a long tail and a cost in whole micro-USD (what a real price table gives). */
    private static Map<String, Object> metrics(SplittableRandom rnd) {
        long prompt = 200 + (long) (Math.pow(rnd.nextDouble(), 2) * 8000);
        long completion = 20 + rnd.nextLong(800);
        long cached = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong(prompt / 2 + 1);
        long micro = prompt * 3 + completion * 15 - cached * 2;
        return Map.of("prompt_tokens", prompt, "completion_tokens", completion, "cached_tokens", cached,
                "cost_usd", micro / 1_000_000.0);
    }

    private static String text(SplittableRandom rnd, int length) {
        int from = rnd.nextInt(TEXT.length() - length);
        return TEXT.substring(from, from + length);
    }

    private static String randomText(int length) {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (' ' + 1 + rnd.nextInt(94)));
        }
        return sb.toString();
    }
}
