package dev.intake.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.api.model.ComparisonSort;
import dev.intake.web.ApiProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Analysis's answers that need no store, with fakes behind its needs (which experiments exist, the selection). */
class AnalysisResourceTest {
    final AnalysisResource resource = new AnalysisResource(null, (workspace, name) -> true, (workspace, name, f) -> {
        throw ApiProblemException.badRequest(null, "refused as the list refuses it", List.of(
                new ApiProblemException.FieldError("score", "bad", null)));
    });

    @Test
    void anExperimentIsNotComparedWithItself() {
        assertThatThrownBy(() -> resource.compareExperiments("demo", "exp-1", "exp-1", "quality", 0.05, 0.0, 1, 20,
                ComparisonSort.DELTA, null)).isInstanceOfSatisfying(ApiProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(ApiProblemException.FieldError::field).containsExactly("baseline");
                });
    }

    @Test
    void statisticsRefuseWhatTheSessionListRefuses() {
        assertThatThrownBy(() -> resource.getExperimentStats("demo", "exp-1", null, null, null, null, null, null, null,
                null, null, null, List.of("quality<<1"), null)).isInstanceOfSatisfying(ApiProblemException.class,
                e -> assertThat(e.errors()).extracting(ApiProblemException.FieldError::field).containsExactly("score"));
    }
}
