package dev.intake.ingest;

import java.time.Instant;
import java.util.Map;

/** One span to write; {@code endTime} null means the span has no end. */
record SpanRow(String sessionId, String traceId, String spanId, String parentSpanId, String kind, String name,
               String status, Instant startTime, Instant endTime, Map<String, String> attributesString,
               Map<String, Double> attributesNumber, Map<String, Boolean> attributesBool, String input,
               String output) {
}
