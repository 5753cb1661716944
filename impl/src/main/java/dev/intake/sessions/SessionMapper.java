package dev.intake.sessions;

import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.SpanStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.TreeMap;

/** {@link SessionRow} to the wire model: '' becomes null, micro-USD becomes USD, unknown statuses become unknown. */
final class SessionMapper {
    private SessionMapper() {
    }

    static ExperimentSessionResponse toResponse(String workspace, String experimentName, SessionRow r) {
        return new ExperimentSessionResponse(workspace, experimentName, r.sessionId(), emptyToNull(r.testCaseId()),
                r.traceId(), r.rootSpanId(), utc(r.startedAt()), utc(r.endedAt()), r.latencyMs(), status(r.status()),
                emptyToNull(r.input()), emptyToNull(r.output()), r.inputTokens(), r.outputTokens(), r.cachedTokens(), usd(r.costMicroUsd()),
                new TreeMap<>(r.evaluatorScores()));
    }

    /** Exact decimal shift: 50000 micro-USD is the double nearest 0.05, not 0.05000000000000000277 computed twice. */
    static Double usd(Long micro) {
        return micro == null ? null : BigDecimal.valueOf(micro).movePointLeft(6).doubleValue();
    }

    static SpanStatus status(String stored) {
        if (stored == null) {
            return SpanStatus.UNKNOWN;
        }
        for (SpanStatus s : SpanStatus.values()) {
            if (s.toString().equals(stored.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return SpanStatus.UNKNOWN;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
