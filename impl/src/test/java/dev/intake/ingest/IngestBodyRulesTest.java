package dev.intake.ingest;

import static dev.intake.ingest.AtifMapperTest.agent;
import static dev.intake.ingest.AtifMapperTest.trajectory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.AtifTrajectoryBatch;
import dev.intake.web.ApiProblemException.FieldError;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBodyRulesTest {
    @Test
    void aBatchChecksEachTrajectoryAtItsOwnPathAndEachSessionOnce() {
        AtifTrajectory wrongStep = trajectory(agent(2, null, null)).sessionId("b");
        AtifTrajectoryBatch batch = new AtifTrajectoryBatch(Arrays.asList(trajectory(agent(1, null, null)).sessionId("a"),
                wrongStep, null, trajectory(agent(1, null, null)).sessionId("a")));

        List<FieldError> errors = IngestBodyRules.byBodyType().get(AtifTrajectoryBatch.class).check(batch);

        assertThat(errors).extracting(FieldError::field).containsExactly("$.trajectories[1].steps[0].step_id",
                "$.trajectories[3].session_id");
        assertThat(errors.get(1).message()).contains("already in this batch at $.trajectories[0]");
    }

    @Test
    void aSingleTrajectoryIsCheckedAtTheRoot() {
        assertThat(IngestBodyRules.byBodyType().get(AtifTrajectory.class).check(trajectory(agent(2, null, null))))
                .extracting(FieldError::field).containsExactly("$.steps[0].step_id");
    }
}
