package dev.intake.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.SpanStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionMapperTest {
    @Test
    void microDollarsComeBackAsTheExactDecimal() {
        assertThat(SessionMapper.usd(50_000L)).isEqualTo(0.05);
        assertThat(SessionMapper.usd(300_000L)).isEqualTo(0.3);
        assertThat(SessionMapper.usd(1L)).isEqualTo(0.000001);
        assertThat(SessionMapper.usd(0L)).isZero();
        assertThat(SessionMapper.usd(null)).isNull();
    }

    @Test
    void statusesAreReadLenientlyAndUnknownOtherwise() {
        assertThat(SessionMapper.status("ERROR")).isEqualTo(SpanStatus.ERROR);
        assertThat(SessionMapper.status("cancelled")).isEqualTo(SpanStatus.CANCELLED);
        assertThat(SessionMapper.status("weird")).isEqualTo(SpanStatus.UNKNOWN);
        assertThat(SessionMapper.status(null)).isEqualTo(SpanStatus.UNKNOWN);
    }

    @Test
    void emptyStringsBecomeNullAndTimesAreUtc() {
        SessionRow row = new SessionRow("s", "", "t", "r", Instant.parse("2026-01-02T03:04:05.123456Z"), null, null,
                "success", "", "", null, null, null, null, Map.of("b", 1.0, "a", 0.5));

        ExperimentSessionResponse r = SessionMapper.toResponse("ws", "exp", row);

        assertThat(r.getTestCaseId()).isNull();
        assertThat(r.getInput()).isNull();
        assertThat(r.getOutput()).isNull();
        assertThat(r.getStartedAt().toString()).isEqualTo("2026-01-02T03:04:05.123456Z");
        assertThat(r.getEndedAt()).isNull();
        assertThat(r.getEvaluatorScores()).containsExactly(Map.entry("a", 0.5), Map.entry("b", 1.0));
    }
}
