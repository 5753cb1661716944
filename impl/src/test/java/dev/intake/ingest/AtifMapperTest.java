package dev.intake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.api.model.AtifAgent;
import dev.intake.api.model.AtifFinalMetrics;
import dev.intake.api.model.AtifObservation;
import dev.intake.api.model.AtifObservationResult;
import dev.intake.api.model.AtifSchemaVersion;
import dev.intake.api.model.AtifStep;
import dev.intake.api.model.AtifStepMetrics;
import dev.intake.api.model.AtifStepSource;
import dev.intake.api.model.AtifToolCall;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.web.ApiJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AtifMapperTest {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    final AtifMapper mapper = new AtifMapper(ApiJson.create());

    static AtifTrajectory trajectory(AtifStep... steps) {
        return new AtifTrajectory(AtifSchemaVersion.ATIF_V1_7, new AtifAgent("agent", "1")).sessionId("s-1")
                .steps(List.of(steps));
    }

    static AtifStep agent(int id, Long prompt, Double cost) {
        return new AtifStep(id, AtifStepSource.AGENT).timestamp(OffsetDateTime.parse("2026-11-26T10:00:0" + id + "Z"))
                .message("m" + id).metrics(new AtifStepMetrics().promptTokens(prompt).costUsd(cost));
    }

    @Test
    void costIsStoredAsExactIntegerMicroDollars() {
        assertThat(AtifMapper.microUsd(0.05)).isEqualTo(50_000.0);
        assertThat(AtifMapper.microUsd(0.1 + 0.2)).isEqualTo(300_000.0);
        assertThat(AtifMapper.microUsd(0.0000005)).as("half-even").isEqualTo(0.0);
        assertThat(AtifMapper.microUsd(0.0000015)).isEqualTo(2.0);
        assertThat(AtifMapper.microUsd(1234.567891)).isEqualTo(1_234_567_891.0);
    }

    @Test
    void finalMetricsOnlyFillMetricsNoStepCarries() {
        AtifTrajectory t = trajectory(agent(1, 10L, null)).finalMetrics(new AtifFinalMetrics().totalPromptTokens(999L)
                .totalCompletionTokens(7L).totalCostUsd(0.25));

        MappedTrajectory m = mapper.map("ws", t, null, NOW);

        SpanRow root = m.spans().get(0);
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(root.attributesNumber()).doesNotContainKey(AtifMapper.PROMPT)
                .containsEntry(AtifMapper.COMPLETION, 7.0).containsEntry(AtifMapper.COST, 250_000.0);
    }

    @Test
    void anErroredObservationMarksItsToolItsStepAndTheRoot() {
        AtifStep step = agent(1, 1L, null).toolCalls(List.of(new AtifToolCall("c1", "search")))
                .observation(new AtifObservation().results(List.of(new AtifObservationResult().sourceCallId("c1")
                        .content(List.of(Map.of("type", "text", "text", "[error] timeout"))))));

        MappedTrajectory m = mapper.map("ws", trajectory(step), null, NOW);

        assertThat(m.spans()).extracting(SpanRow::kind, SpanRow::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SpanRow.Kind.AGENT, SpanRow.Status.ERROR),
                org.assertj.core.groups.Tuple.tuple(SpanRow.Kind.LLM, SpanRow.Status.ERROR),
                org.assertj.core.groups.Tuple.tuple(SpanRow.Kind.TOOL, SpanRow.Status.ERROR));
        assertThat(m.spans().get(2).output()).isEqualTo("[error] timeout");
    }

    @Test
    void theRootSpansStepAndVerifierTimesAndResultsFollowRewardTypes() {
        AtifTrajectory t = trajectory(agent(1, 1L, null), agent(2, 1L, null)).extra(Map.of(
                "verifier", Map.of("started_at", "2026-11-26T10:00:05Z", "finished_at", "2026-11-26T10:00:09Z"),
                "verifier_result", Map.of("rewards", Map.of("ok", true, "score", 0.5, "note", "fine"))));

        MappedTrajectory m = mapper.map("ws", t, null, NOW);

        SpanRow root = m.spans().get(0);
        assertThat(root.startTime()).isEqualTo(Instant.parse("2026-11-26T10:00:01Z"));
        assertThat(root.endTime()).isEqualTo(Instant.parse("2026-11-26T10:00:09Z"));
        assertThat(m.results()).extracting(ResultRow::name, ResultRow::dataType, ResultRow::value, ResultRow::stringValue)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ok", ResultRow.DataType.BOOLEAN, 1.0, null),
                        org.assertj.core.groups.Tuple.tuple("score", ResultRow.DataType.NUMERIC, 0.5, null),
                        org.assertj.core.groups.Tuple.tuple("note", ResultRow.DataType.TEXT, null, "fine"));
    }

    @Test
    void aTrajectoryWithoutTimesStartsAtIngestAndHasNoEnd() {
        MappedTrajectory m = mapper.map("ws", trajectory(new AtifStep(1, AtifStepSource.USER).message("q")), null, NOW);

        assertThat(m.spans().get(0).startTime()).isEqualTo(NOW);
        assertThat(m.spans().get(0).endTime()).isNull();
        assertThat(m.spans().get(0).input()).isEqualTo("q");
    }

    @Test
    void everySpanHasItsKindNameParentStatusAndTexts() {
        AtifStep user = new AtifStep(1, AtifStepSource.USER).message("question");
        AtifStep answer = agent(2, 5L, 0.01).toolCalls(List.of(new AtifToolCall("c1", "search").arguments(Map.of("q", "x"))))
                .observation(new AtifObservation().results(List.of(
                        new AtifObservationResult().sourceCallId("c1").content("found"),
                        new AtifObservationResult().subagentTrajectoryRef(Map.of("session_id", "sub-1")))));
        AtifTrajectory t = trajectory(user, answer).extra(Map.of("verifier_result", Map.of("score", 0.5)));

        MappedTrajectory m = mapper.map("ws", t, "exp", NOW);

        String root = m.rootSpanId();
        String step2 = m.spans().get(2).spanId();
        assertThat(m.spans()).extracting(s -> s.kind().name(), SpanRow::name, SpanRow::parentSpanId,
                s -> s.status().label(), SpanRow::input, SpanRow::output)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("AGENT", "agent", "", "success", "question", "m2"),
                        org.assertj.core.groups.Tuple.tuple("AGENT", "user-1", root, "success", "question", ""),
                        org.assertj.core.groups.Tuple.tuple("LLM", "agent-2", root, "success", "", "m2"),
                        org.assertj.core.groups.Tuple.tuple("TOOL", "search", step2, "success", "{\"q\":\"x\"}", "found"),
                        org.assertj.core.groups.Tuple.tuple("AGENT", "subagent", step2, "success",
                                "{\"session_id\":\"sub-1\"}", ""),
                        org.assertj.core.groups.Tuple.tuple("EVALUATOR", "harbor.verifier", root, "success", "", ""));
        assertThat(m.spans().get(0).attributesString()).containsEntry("experiment.id", "exp");
        assertThat(m.spans().get(3).attributesString()).containsEntry("tool_call.id", "c1");
        assertThat(m.spans()).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(s.sessionId()));
        assertThat(m.results()).extracting(ResultRow::name, r -> r.dataType().name(), ResultRow::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reward", "NUMERIC", 0.5));
    }
}
