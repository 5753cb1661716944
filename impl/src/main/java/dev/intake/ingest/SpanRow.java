package dev.intake.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One span to write; {@code endTime} null means the span has no end. Made by the factory of its kind: the
 * trajectory's root, a step, a tool call, a sub-agent reference, the verifier.
 */
record SpanRow(String sessionId, String traceId, String spanId, String parentSpanId, Kind kind, String name,
               Status status, Instant startTime, Instant endTime, Map<String, String> attributesString,
               Map<String, Double> attributesNumber, Map<String, Boolean> attributesBool, String input,
               String output) {

    /** The span kinds ATIF maps to (the store's {@code kind} column holds the name). */
    enum Kind { AGENT, LLM, TOOL, EVALUATOR }

    /** A span's outcome (the store's {@code status} column holds the label). */
    enum Status {
        SUCCESS("success"), ERROR("error");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        static Status of(boolean failed) {
            return failed ? ERROR : SUCCESS;
        }

        String label() {
            return label;
        }
    }

    /** Where a span sits: its session (which is also its trace), its id and its parent's ({@code ""} for a root). */
    record Place(String sessionId, String spanId, String parentSpanId) {
    }

    /** The trajectory itself: the AGENT root, from the first to the last time the trajectory names. */
    static SpanRow root(Place at, String agentName, Status status, Instant start, Instant end,
                        Map<String, String> strings, Map<String, Double> numbers, String input, String output) {
        return new SpanRow(at.sessionId(), at.sessionId(), at.spanId(), "", Kind.AGENT, agentName, status, start,
                end, strings, numbers, Map.of(), input, output);
    }

    /** One step: an LLM span for an agent step (its text is the output), else an AGENT span (its text the input). */
    static SpanRow step(Place at, boolean agent, String name, Status status, Instant start,
                        Map<String, String> strings, Map<String, Double> numbers, String text) {
        return new SpanRow(at.sessionId(), at.sessionId(), at.spanId(), at.parentSpanId(),
                agent ? Kind.LLM : Kind.AGENT, name, status, start, null, strings, numbers, Map.of(),
                agent ? "" : text, agent ? text : "");
    }

    /** One tool call of a step: its arguments in, what the observations say of it out. */
    static SpanRow toolCall(Place at, String functionName, String toolCallId, Status status, Instant start,
                            String arguments, String output) {
        return new SpanRow(at.sessionId(), at.sessionId(), at.spanId(), at.parentSpanId(), Kind.TOOL, functionName,
                status, start, null, Map.of("tool_call.id", toolCallId), Map.of(), Map.of(), arguments, output);
    }

    /** A sub-agent's trajectory a step refers to; the reference is its input. */
    static SpanRow subagent(Place at, Instant start, String reference) {
        return new SpanRow(at.sessionId(), at.sessionId(), at.spanId(), at.parentSpanId(), Kind.AGENT, "subagent",
                Status.SUCCESS, start, null, Map.of(), Map.of(), Map.of(), reference, "");
    }

    /** The verifier that scored the trajectory; its results are the evaluator results. */
    static SpanRow verifier(Place at, Instant start, Instant end) {
        return new SpanRow(at.sessionId(), at.sessionId(), at.spanId(), at.parentSpanId(), Kind.EVALUATOR,
                "harbor.verifier", Status.SUCCESS, start, end, Map.of(), Map.of(), Map.of(), "", "");
    }
}
