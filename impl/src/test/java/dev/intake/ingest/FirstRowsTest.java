package dev.intake.ingest;

import static dev.intake.ingest.AtifMapperTest.NOW;
import static dev.intake.ingest.AtifMapperTest.agent;
import static dev.intake.ingest.AtifMapperTest.trajectory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.api.model.AtifExperimentContext;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.web.ApiJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The list row the writer computes for a session seen for the first time must be the row the index refresh would
 * compute from the same rows (SessionRowsMatchSpanDefinitionIT proves that against the store); here: which
 * trajectories get one, and its values.
 */
class FirstRowsTest {
    final AtifMapper mapper = new AtifMapper(ApiJson.create());

    MappedTrajectory mapped(AtifTrajectory t) {
        return mapper.map("ws", t.experimentContext(new AtifExperimentContext("exp").testCaseId("case-1")), "exp", NOW);
    }

    @Test
    void theRowTakesTheRootsFieldsTheMetricSumsAndOneMeanPerScoredEvaluator() {
        AtifTrajectory t = trajectory(agent(1, 10L, 0.05), agent(2, 5L, null)).extra(Map.of(
                "verifier_result", Map.of("rewards", Map.of("ok", true, "score", 0.5, "note", "fine"))));

        SessionRows.FirstRow row = FirstRows.of(mapped(t)).orElseThrow();

        assertThat(row.sessionId()).isEqualTo("s-1");
        assertThat(row.experimentName()).isEqualTo("exp");
        assertThat(row.testCaseId()).isEqualTo("case-1");
        assertThat(row.startedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:01Z"));
        assertThat(row.endedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:02Z"));
        assertThat(row.status()).isEqualTo("success");
        assertThat(row.output()).isEqualTo("m2");
        assertThat(row.inputTokens()).isEqualTo(15L);
        assertThat(row.outputTokens()).isNull();
        assertThat(row.cachedTokens()).isNull();
        assertThat(row.costMicroUsd()).isEqualTo(50_000L);
        assertThat(row.evaluatorScores()).containsExactly(Map.entry("ok", 1.0), Map.entry("score", 0.5));
        assertThat(row.booleanEvaluators()).containsExactly("ok");
    }

    @Test
    void noRowWithoutAnExperiment() {
        assertThat(FirstRows.of(mapper.map("ws", trajectory(agent(1, 1L, null)), null, NOW))).isEmpty();
    }

    @Test
    void noRowWhenAMetricIsNotAWholeNumberSinceTheStoresSumWouldDependOnItsOrder() {
        MappedTrajectory m = mapped(trajectory(agent(1, 1L, null)));
        List<SpanRow> spans = new ArrayList<>(m.spans());
        SpanRow step = spans.get(1);
        spans.set(1, new SpanRow(step.sessionId(), step.traceId(), step.spanId(), step.parentSpanId(), step.kind(),
                step.name(), step.status(), step.startTime(), step.endTime(), step.attributesString(),
                Map.of(AtifMapper.CACHED, 0.5), step.attributesBool(), step.input(), step.output()));

        assertThat(FirstRows.of(new MappedTrajectory(m.sessionId(), m.rootSpanId(), m.experimentName(),
                m.testCaseId(), spans, m.results()))).isEmpty();
    }

    @Test
    void noRowWhenASpanIsWrittenTwiceOrThereIsASecondRoot() {
        MappedTrajectory m = mapped(trajectory(agent(1, 1L, null)));
        List<SpanRow> twice = new ArrayList<>(m.spans());
        twice.add(m.spans().get(1));
        List<SpanRow> twoRoots = new ArrayList<>(m.spans());
        SpanRow root = m.spans().get(0);
        twoRoots.add(new SpanRow(root.sessionId(), root.traceId(), "another-root", "", root.kind(), root.name(),
                root.status(), root.startTime(), root.endTime(), root.attributesString(), Map.of(), Map.of(), "", ""));

        assertThat(FirstRows.of(new MappedTrajectory(m.sessionId(), m.rootSpanId(), "exp", null, twice, List.of())))
                .isEmpty();
        assertThat(FirstRows.of(new MappedTrajectory(m.sessionId(), m.rootSpanId(), "exp", null, twoRoots,
                List.of()))).isEmpty();
    }

    @Test
    void noRowWhenAnEvaluatorHasTwoScoredResultsSinceTheirMeanWouldDependOnOrder() {
        MappedTrajectory m = mapped(trajectory(agent(1, 1L, null)));
        List<ResultRow> results = List.of(
                new ResultRow(m.sessionId(), "v", "score", "r-1", ResultRow.DataType.NUMERIC, 0.1, null),
                new ResultRow(m.sessionId(), "v", "score", "r-2", ResultRow.DataType.NUMERIC, 0.2, null));

        assertThat(FirstRows.of(new MappedTrajectory(m.sessionId(), m.rootSpanId(), "exp", null, m.spans(),
                results))).isEmpty();
    }
}
