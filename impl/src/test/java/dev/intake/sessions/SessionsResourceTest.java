package dev.intake.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.SessionExportFormat;
import dev.intake.web.ApiJson;
import dev.intake.web.ApiProblemException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The export's answers before its statement runs, with a fake behind the session list's need (which experiments
 * exist) and no store: the statement runs only when the body is written.
 */
class SessionsResourceTest {
    final List<String> asked = new ArrayList<>();
    final SessionsResource resource = new SessionsResource(null, (workspace, name) -> {
        asked.add(workspace + "/" + name);
        return name.equals("exp-1");
    }, ApiJson.create(), Duration.ofSeconds(1), Optional.of("secret"), true);

    Response export(String name, String sort, List<String> score, SessionExportFormat format) {
        return resource.exportExperimentSessions("demo", name, null, null, sort, null, null, null, null, null, null,
                null, null, score, null, null, format);
    }

    @Test
    void anExportIsNamedAndTypedByItsFormat() {
        Response csv = export("exp-1", null, null, SessionExportFormat.CSV);
        Response ndjson = export("exp-1", "-cost_total_usd", List.of("quality<0.5"), null);

        assertThat(csv.getHeaderString("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(csv.getHeaderString("Content-Disposition")).isEqualTo("attachment; filename=\"exp-1-sessions.csv\"");
        assertThat(ndjson.getHeaderString("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(ndjson.getHeaderString("Content-Disposition"))
                .isEqualTo("attachment; filename=\"exp-1-sessions.ndjson\"");
    }

    @Test
    void anUnknownExperimentIsA404BeforeAnyByte() {
        assertThatThrownBy(() -> export("nope", null, null, null)).isInstanceOfSatisfying(ApiProblemException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo(ProblemCode.EXPERIMENT_NOT_FOUND);
                });
        assertThat(asked).containsExactly("demo/nope");
    }

    @Test
    void badParametersAreA400BeforeTheExperimentIsLookedUp() {
        assertThatThrownBy(() -> export("exp-1", "-nope", List.of("quality<<1"), null))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(asked).isEmpty();
    }
}
