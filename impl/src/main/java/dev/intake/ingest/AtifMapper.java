package dev.intake.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.AtifFinalMetrics;
import dev.intake.api.model.AtifObservationResult;
import dev.intake.api.model.AtifStep;
import dev.intake.api.model.AtifStepMetrics;
import dev.intake.api.model.AtifStepSource;
import dev.intake.api.model.AtifToolCall;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.web.Rfc3339;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns an ATIF trajectory into spans and evaluator results, as the upstream importer does: one AGENT root per
 * trajectory, a span per step (LLM for agent steps), per tool call and per sub-agent reference, an EVALUATOR span
 * for the verifier, and one result per reward key. Ids are derived from the content, so a re-ingest replaces.
 */
final class AtifMapper {
    static final String PROMPT = "llm.token_count.prompt";
    static final String COMPLETION = "llm.token_count.completion";
    static final String CACHED = "llm.token_count.cached";
    static final String TOTAL = "llm.token_count.total";
    static final String COST = "cost.total";

    private final ObjectMapper json;

    AtifMapper(ObjectMapper json) {
        this.json = json;
    }

    MappedTrajectory map(String workspace, AtifTrajectory t, String experimentName, Instant ingestTime) {
        String sessionId = t.getSessionId() != null ? t.getSessionId() : UUID.randomUUID().toString();
        SpanRow.Place root = new SpanRow.Place(sessionId, StableIds.span(workspace, sessionId, "trajectory"), "");
        Steps steps = steps(workspace, root, t, ingestTime);
        Map<String, Object> extra = t.getExtra() == null ? Map.of() : t.getExtra();
        Map<?, ?> verifier = extra.get("verifier") instanceof Map<?, ?> v ? v : Map.of();
        Instant verifierStart = time(verifier.get("started_at"));
        Instant verifierEnd = time(verifier.get("finished_at"));
        List<Instant> times = new ArrayList<>(steps.times());
        addIfPresent(times, verifierStart);
        addIfPresent(times, verifierEnd);
        Instant rootStart = times.stream().min(Instant::compareTo).orElse(ingestTime);
        Instant rootEnd = times.stream().max(Instant::compareTo).orElse(null);
        String testCaseId = t.getExperimentContext() == null ? null : t.getExperimentContext().getTestCaseId();

        List<SpanRow> spans = new ArrayList<>();
        spans.add(SpanRow.root(root, t.getAgent().getName(), SpanRow.Status.of(steps.anyError()), rootStart, rootEnd,
                rootAttributes(t, experimentName, testCaseId), finalMetricsNotInSteps(t.getFinalMetrics(),
                        steps.metricTotals()), Objects.requireNonNullElse(steps.firstUserInput(), ""),
                Objects.requireNonNullElse(steps.lastAgentOutput(), "")));
        spans.addAll(steps.spans());
        List<ResultRow> results = new ArrayList<>();
        if (extra.get("verifier_result") instanceof Map<?, ?> verdict) {
            SpanRow.Place evaluator = new SpanRow.Place(sessionId, StableIds.span(workspace, sessionId, "verifier"),
                    root.spanId());
            spans.add(SpanRow.verifier(evaluator, verifierStart != null ? verifierStart : rootStart, verifierEnd));
            rewards(verdict).forEach((name, value) -> results.add(ResultRow.of(sessionId, evaluator.spanId(), name,
                    StableIds.evaluatorResult(evaluator.spanId(), name), value)));
        }
        return new MappedTrajectory(sessionId, root.spanId(), experimentName, testCaseId, spans, results);
    }

    /**
     * The spans of the steps (each step, then its tool calls and sub-agent references), and what the root takes
     * from them: the steps' times, whether any failed, the first user message, the last agent message, the metric
     * totals.
     */
    private record Steps(List<SpanRow> spans, List<Instant> times, boolean anyError, String firstUserInput,
                         String lastAgentOutput, Map<String, Double> metricTotals) {
    }

    private Steps steps(String workspace, SpanRow.Place root, AtifTrajectory t, Instant ingestTime) {
        String sessionId = root.sessionId();
        List<AtifStep> steps = t.getSteps() == null ? List.of() : t.getSteps();
        List<SpanRow> spans = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        boolean anyError = false;
        String firstUserInput = null;
        String lastAgentOutput = null;
        Map<String, Double> totals = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            AtifStep step = steps.get(i);
            Instant start = step.getTimestamp() != null ? step.getTimestamp().toInstant() : ingestTime.plusMillis(i);
            if (step.getTimestamp() != null) {
                times.add(start);
            }
            SpanRow.Place at = new SpanRow.Place(sessionId, StableIds.span(workspace, sessionId, "step",
                    step.getStepId()), root.spanId());
            boolean agent = step.getSource() == AtifStepSource.AGENT;
            String text = text(step.getMessage());
            List<AtifObservationResult> observed = step.getObservation() == null || step.getObservation().getResults() == null
                    ? List.of() : step.getObservation().getResults();
            boolean stepError = observed.stream().anyMatch(AtifMapper::isError);
            anyError |= stepError;
            Map<String, String> strings = new LinkedHashMap<>();
            putIfPresent(strings, "gen_ai.request.model", step.getModelName() != null ? step.getModelName()
                    : agent ? t.getAgent().getModelName() : null);
            putIfPresent(strings, "atif.step.source", step.getSource().toString());
            Map<String, Double> numbers = metrics(step.getMetrics());
            numbers.forEach((k, v) -> totals.merge(k, v, Double::sum));
            if (agent) {
                lastAgentOutput = text.isEmpty() ? lastAgentOutput : text;
            } else if (step.getSource() == AtifStepSource.USER && firstUserInput == null) {
                firstUserInput = text;
            }
            spans.add(SpanRow.step(at, agent, step.getSource() + "-" + step.getStepId(), SpanRow.Status.of(stepError),
                    start, strings, numbers, text));
            addToolSpans(workspace, at, step, start, observed, spans);
        }
        return new Steps(spans, times, anyError, firstUserInput, lastAgentOutput, totals);
    }

    private static Map<String, String> rootAttributes(AtifTrajectory t, String experimentName, String testCaseId) {
        Map<String, String> strings = new LinkedHashMap<>();
        putIfPresent(strings, "experiment.id", experimentName);
        putIfPresent(strings, "test_case.id", testCaseId);
        putIfPresent(strings, "gen_ai.agent.name", t.getAgent().getName());
        putIfPresent(strings, "gen_ai.agent.version", t.getAgent().getVersion());
        putIfPresent(strings, "gen_ai.request.model", t.getAgent().getModelName());
        putIfPresent(strings, "atif.schema_version", t.getSchemaVersion().toString());
        return strings;
    }

    private void addToolSpans(String workspace, SpanRow.Place stepAt, AtifStep step, Instant start,
                              List<AtifObservationResult> observed, List<SpanRow> spans) {
        String sessionId = stepAt.sessionId();
        List<AtifToolCall> calls = step.getToolCalls() == null ? List.of() : step.getToolCalls();
        for (AtifToolCall call : calls) {
            List<AtifObservationResult> own = observed.stream()
                    .filter(r -> call.getToolCallId().equals(r.getSourceCallId())).toList();
            String output = String.join("\n", own.stream().map(r -> text(r.getContent())).toList());
            SpanRow.Place at = new SpanRow.Place(sessionId,
                    StableIds.span(workspace, sessionId, "tool", step.getStepId(), call.getToolCallId()), stepAt.spanId());
            spans.add(SpanRow.toolCall(at, call.getFunctionName(), call.getToolCallId(),
                    SpanRow.Status.of(own.stream().anyMatch(AtifMapper::isError)), start,
                    call.getArguments() == null ? "" : jsonText(call.getArguments()), output));
        }
        for (int r = 0; r < observed.size(); r++) {
            Object ref = observed.get(r).getSubagentTrajectoryRef();
            if (ref != null) {
                SpanRow.Place at = new SpanRow.Place(sessionId,
                        StableIds.span(workspace, sessionId, "subagent", step.getStepId(), r), stepAt.spanId());
                spans.add(SpanRow.subagent(at, start, jsonText(ref)));
            }
        }
    }

    /** Step metrics as span attributes; cost in integer micro-USD (exact decimal, half-even). */
    private static Map<String, Double> metrics(AtifStepMetrics m) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        if (m == null) {
            return numbers;
        }
        putIfPresent(numbers, PROMPT, m.getPromptTokens());
        putIfPresent(numbers, COMPLETION, m.getCompletionTokens());
        putIfPresent(numbers, CACHED, m.getCachedTokens());
        if (m.getPromptTokens() != null || m.getCompletionTokens() != null) {
            numbers.put(TOTAL, (double) (orZero(m.getPromptTokens()) + orZero(m.getCompletionTokens())));
        }
        if (m.getCostUsd() != null) {
            numbers.put(COST, microUsd(m.getCostUsd()));
        }
        return numbers;
    }

    /** Trajectory totals go on the root only for a metric no step carries, so nothing is counted twice. */
    private static Map<String, Double> finalMetricsNotInSteps(AtifFinalMetrics f, Map<String, Double> stepTotals) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        if (f == null) {
            return numbers;
        }
        if (!stepTotals.containsKey(PROMPT)) {
            putIfPresent(numbers, PROMPT, f.getTotalPromptTokens());
        }
        if (!stepTotals.containsKey(COMPLETION)) {
            putIfPresent(numbers, COMPLETION, f.getTotalCompletionTokens());
        }
        if (!stepTotals.containsKey(CACHED)) {
            putIfPresent(numbers, CACHED, f.getTotalCachedTokens());
        }
        if (!stepTotals.containsKey(COST) && f.getTotalCostUsd() != null) {
            numbers.put(COST, microUsd(f.getTotalCostUsd()));
        }
        return numbers;
    }

    static double microUsd(double usd) {
        return BigDecimal.valueOf(usd).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Rewards by evaluator name; a bare {@code score} counts as {@code reward}. */
    private static Map<String, Object> rewards(Map<?, ?> verdict) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (verdict.get("rewards") instanceof Map<?, ?> rewards) {
            rewards.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (verdict.get("score") instanceof Number score) {
            out.put("reward", score);
        }
        return out;
    }

    /** An observed result is an error when its extra says so or its content carries "[error]". */
    private static boolean isError(AtifObservationResult r) {
        Map<String, Object> extra = r.getExtra() == null ? Map.of() : r.getExtra();
        return Boolean.TRUE.equals(extra.get("is_error")) || Boolean.TRUE.equals(extra.get("tool_result_is_error"))
                || text(r.getContent()).contains("[error]");
    }

    /** A message or content as text: a string as is, content parts' texts joined by newlines. */
    static String text(Object message) {
        if (message == null) {
            return "";
        }
        if (message instanceof String s) {
            return s;
        }
        if (message instanceof List<?> parts) {
            List<String> texts = new ArrayList<>();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> m && m.get("text") instanceof String s) {
                    texts.add(s);
                } else if (part instanceof String s) {
                    texts.add(s);
                }
            }
            return String.join("\n", texts);
        }
        return String.valueOf(message);
    }

    private String jsonText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static Instant time(Object value) {
        return value instanceof String s ? Rfc3339.parse(s).orElseThrow() : null;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static <V> void putIfPresent(Map<String, V> map, String key, V value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void putIfPresent(Map<String, Double> map, String key, Long value) {
        if (value != null) {
            map.put(key, value.doubleValue());
        }
    }

    private static void addIfPresent(List<Instant> list, Instant value) {
        if (value != null) {
            list.add(value);
        }
    }
}
