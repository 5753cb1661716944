package dev.intake.ingest;

import static dev.intake.ingest.AtifMapperTest.agent;
import static dev.intake.ingest.AtifMapperTest.trajectory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.api.model.AtifExperimentContext;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.ProblemCode;
import dev.intake.web.ApiJson;
import dev.intake.web.ApiProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The part of a write that comes before the store: every trajectory's experiment is looked up once per name, and
 * every unknown one is named at its trajectory's path, in a single request and in a batch alike. The store is never
 * reached here (none is given): a 422 writes nothing.
 */
class IngestWriterTest {
    final List<String> lookedUp = new ArrayList<>();
    final List<List<String>> refreshed = new ArrayList<>();
    final IngestWriter writer = new IngestWriter(null, (workspace, name) -> {
        lookedUp.add(workspace + "/" + name);
        return name.startsWith("known");
    }, new SessionRows() {
        @Override
        public void refresh(String workspace, List<String> sessionIds) {
            refreshed.add(sessionIds);
        }

        @Override
        public boolean publishFirst(String workspace, Instant generation, List<FirstRow> rows) {
            refreshed.add(rows.stream().map(FirstRow::sessionId).toList());
            return false;
        }
    }, ApiJson.create(), IngestObserver.NONE);

    static AtifTrajectory in(String experiment, String session) {
        return trajectory(agent(1, 1L, null)).sessionId(session)
                .experimentContext(new AtifExperimentContext(experiment).testCaseId("case-" + session));
    }

    @Test
    void aBatchNamesEveryUnknownExperimentAtItsTrajectoryAndLooksEachNameUpOnce() {
        List<AtifTrajectory> batch = List.of(in("known-a", "s1"), in("gone", "s2"), in("gone", "s3"),
                in("missing", "s4"), in("known-a", "s5"));

        assertThatThrownBy(() -> writer.write("ws", batch, i -> "$.trajectories[" + i + "]"))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo(ProblemCode.EXPERIMENT_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("Experiments 'gone', 'missing' must be created before they can be logged.");
                    assertThat(e.errors()).extracting(ApiProblemException.FieldError::field).containsExactly(
                            "$.trajectories[1].experiment_context.experiment_id",
                            "$.trajectories[2].experiment_context.experiment_id",
                            "$.trajectories[3].experiment_context.experiment_id");
                });
        assertThat(lookedUp).containsExactly("ws/known-a", "ws/gone", "ws/missing");
        assertThat(refreshed).isEmpty();
    }

    @Test
    void aSingleTrajectoryIsNamedAtTheRoot() {
        assertThatThrownBy(() -> writer.write("ws", List.of(in("gone", "s1")), i -> "$"))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Experiment 'gone' must be created before it can be logged.");
                    assertThat(e.errors()).extracting(ApiProblemException.FieldError::field)
                            .containsExactly("$.experiment_context.experiment_id");
                });
    }
}
