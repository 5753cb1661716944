package dev.intake.sessions;

import dev.intake.Golden;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionResponseGoldenTest {
    @Test
    void aCompleteSession() {
        Instant start = Instant.parse("2026-11-26T10:00:00.123456Z");
        Golden.assertMatches("experiment-session", SessionMapper.toResponse("demo", "exp-1", new SessionRow(
                "run-1-case-a", "case-a", "run-1-case-a", "root-1", start, start.plusMillis(1500), 1500.0, "error",
                "2+2?", "4", 100L, 10L, 5L, 50_000L, Map.of("quality", 0.9, "correct", 1.0))));
    }

    @Test
    void aSessionWithNothingButItsIdsAndStart() {
        Golden.assertMatches("experiment-session-minimal", SessionMapper.toResponse("demo", "exp-1", new SessionRow(
                "s", "", "s", "root", Instant.parse("2026-11-26T10:00:00Z"), null, null, "weird", "", "", null, null,
                null, null, Map.of())));
    }
}
