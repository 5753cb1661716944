package dev.intake.sessions;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the session index, as stored (cost in integer micro-USD, '' for absent strings); {@code input} and
 * {@code output} as the list's mode asked for them (see SessionsQuery).
 */
record SessionRow(String sessionId, String testCaseId, String traceId, String rootSpanId, Instant startedAt,
                  Instant endedAt, Double latencyMs, String status, String input, String output, Long inputTokens,
                  Long outputTokens, Long cachedTokens, Long costMicroUsd, Map<String, Double> evaluatorScores) {
}
