package dev.intake.ingest;

import static dev.intake.ingest.AtifMapperTest.agent;
import static dev.intake.ingest.AtifMapperTest.trajectory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.api.model.AtifObservation;
import dev.intake.api.model.AtifObservationResult;
import dev.intake.api.model.AtifStep;
import dev.intake.api.model.AtifStepMetrics;
import dev.intake.api.model.AtifStepSource;
import dev.intake.api.model.AtifToolCall;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.web.ApiProblemException.FieldError;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AtifChecksTest {
    static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void aWellFormedTrajectoryPasses() {
        assertThat(AtifChecks.check(trajectory(agent(1, 10L, 0.01), agent(2, 5L, null)), "$")).isEmpty();
    }

    @Test
    void stepsAreNumberedInOrderAndEachWrongIdIsNamedUnderTheGivenPath() {
        List<FieldError> errors = AtifChecks.check(trajectory(agent(1, null, null), agent(3, null, null),
                agent(2, null, null)), "$.trajectories[4]");

        assertThat(fields(errors)).containsExactly("$.trajectories[4].steps[1].step_id",
                "$.trajectories[4].steps[2].step_id");
        assertThat(errors.get(0).message()).startsWith("must be 2");
    }

    @Test
    void agentOnlyFieldsOnAUserStepAreEachNamed() {
        AtifStep user = new AtifStep(1, AtifStepSource.USER).message("q").modelName("m").reasoningContent("r")
                .metrics(new AtifStepMetrics().promptTokens(1L));

        assertThat(fields(AtifChecks.check(trajectory(user), "$")))
                .containsExactlyInAnyOrder("$.steps[0].model_name", "$.steps[0].reasoning_content", "$.steps[0].metrics");
    }

    @Test
    void toolCallIdsAreUniqueInAStepAndObservationsReferToThem() {
        AtifStep step = agent(1, null, null).toolCalls(List.of(new AtifToolCall("c1", "f"),
                new AtifToolCall("c1", "g"))).observation(new AtifObservation().results(List.of(
                new AtifObservationResult().sourceCallId("c1"), new AtifObservationResult().sourceCallId("c9"))));

        assertThat(fields(AtifChecks.check(trajectory(step), "$"))).containsExactly(
                "$.steps[0].tool_calls[1].tool_call_id", "$.steps[0].observation.results[1].source_call_id");
    }

    @Test
    void sumsBeyondWhatTheStoreKeepsExactlyAreNamedAtTheStepThatPassesTheBound() {
        long half = AtifChecks.MAX_EXACT / 2 + 1;

        assertThat(fields(AtifChecks.check(trajectory(agent(1, half, null), agent(2, half, null)), "$")))
                .containsExactly("$.steps[1].metrics.prompt_tokens");
    }

    @Test
    void verifierTimesAndRewardsAreChecked() {
        AtifTrajectory t = trajectory(agent(1, null, null)).extra(Map.of(
                "verifier", Map.of("started_at", "yesterday"),
                "verifier_result", Map.of("rewards", Map.of("ok", true, "bad", List.of(1)))));

        assertThat(fields(AtifChecks.check(t, "$"))).containsExactlyInAnyOrder("$.extra.verifier.started_at",
                "$.extra.verifier_result.rewards.bad");
    }

    @Test
    void aMissingStepIsNamedAndTheOthersStillChecked() {
        List<AtifStep> steps = Arrays.asList(agent(1, null, null), null, agent(9, null, null));

        assertThat(fields(AtifChecks.check(trajectory().steps(steps), "$"))).containsExactly("$.steps[1]",
                "$.steps[2].step_id");
    }
}
