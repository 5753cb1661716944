package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentSessionsApi;
import dev.intake.sdk.model.ExperimentSessionResponse;
import dev.intake.sdk.model.ExperimentSessionResponsesPage;
import dev.intake.sdk.model.SpanStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The upstream service's integration scenarios, ported: three sessions a/b/c of one experiment. */
@ExtendWith(ContractChecked.class)
class SessionsUpstreamScenariosIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final String EXP = "upstream-exp";
    static final Instant T0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static ExperimentSessionsApi sessions;

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(java.time.Duration.ofSeconds(60));
        Http http = SERVER.http();
        create(http, WS, EXP);
        ingest(http, WS, Trajectories.upstreamShape(EXP + "-run-case-a", EXP, "case-a", T0, 1.0));
        ingest(http, WS, Trajectories.upstreamShape(EXP + "-run-case-b", EXP, "case-b", T0.plusSeconds(5), 0.5));
        ingest(http, WS, Trajectories.upstreamShape(EXP + "-run-case-c", EXP, "alpha", T0.plusSeconds(10), 0.0));
        sessions = new ExperimentSessionsApi(SERVER.sdk());
    }

    @Test
    void listsEverySessionWithTheWorkedExampleValues() throws ApiException {
        ExperimentSessionResponsesPage page = sessions.listExperimentSessions(WS, EXP, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getPagination().getTotalResults()).isEqualTo(3);
        assertThat(page.getPagination().getTotalPages()).isEqualTo(1);
        assertThat(page.getPagination().getCurrentPageSize()).isEqualTo(3);
        assertThat(page.getData()).extracting(ExperimentSessionResponse::getSessionId)
                .containsExactly(EXP + "-run-case-a", EXP + "-run-case-b", EXP + "-run-case-c");
        ExperimentSessionResponse a = page.getData().get(0);
        assertThat(a.getWorkspace()).isEqualTo(WS);
        assertThat(a.getExperimentName()).isEqualTo(EXP);
        assertThat(a.getTestCaseId()).isEqualTo("case-a");
        assertThat(a.getTraceId()).isEqualTo(a.getSessionId());
        assertThat(a.getStartedAt().toInstant()).isEqualTo(T0);
        assertThat(a.getEndedAt().toInstant()).isEqualTo(T0.plusMillis(1000));
        assertThat(a.getLatencyMs()).isEqualTo(1000.0);
        assertThat(a.getInputTokens()).isEqualTo(100L);
        assertThat(a.getOutputTokens()).isEqualTo(10L);
        assertThat(a.getCachedTokens()).isNull();
        assertThat(a.getCostTotalUsd()).isEqualTo(0.05);
        assertThat(a.getEvaluatorScores()).isEqualTo(Map.of("reward", 1.0));
        assertThat(a.getStatus()).isEqualTo(SpanStatus.SUCCESS);
        assertThat(a.getInput()).isEqualTo("solve case case-a");
    }

    @Test
    void secondPageOfSizeOneIsCaseB() throws ApiException {
        ExperimentSessionResponsesPage page = sessions.listExperimentSessions(WS, EXP, 2, 1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getPagination().getTotalResults()).isEqualTo(3);
        assertThat(page.getPagination().getTotalPages()).isEqualTo(3);
        assertThat(page.getData()).hasSize(1);
        assertThat(page.getData().get(0).getSessionId()).isEqualTo(EXP + "-run-case-b");
        assertThat(page.getData().get(0).getEvaluatorScores()).isEqualTo(Map.of("reward", 0.5));
    }

    @Test
    void testCaseFilterKeepsOnlyThatTestCase() throws ApiException {
        ExperimentSessionResponsesPage page = sessions.listExperimentSessions(WS, EXP, null, null, null, "alpha", null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getPagination().getTotalResults()).isEqualTo(1);
        assertThat(page.getData().get(0).getSessionId()).isEqualTo(EXP + "-run-case-c");
        assertThat(page.getFilter().getTestCaseId()).isEqualTo("alpha");
    }

    @Test
    void statusFilterMatchesTheSeededStatusOnly() throws ApiException {
        assertThat(sessions.listExperimentSessions(WS, EXP, null, null, SpanStatus.SUCCESS, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .getPagination().getTotalResults()).isEqualTo(3);
        assertThat(sessions.listExperimentSessions(WS, EXP, null, null, SpanStatus.ERROR, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .getPagination().getTotalResults()).isZero();
    }

    @Test
    void unknownExperimentIs404WithTheUpstreamMessage() {
        assertThatThrownBy(() -> sessions.listExperimentSessions(WS, "no-such-exp", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getResponseBody()).contains("Experiment '" + WS + "/no-such-exp' not found.");
                });
    }

    @Test
    void misspeltFilterIs400NamingTheParameter() {
        Http.Response r = SERVER.http().get("/apis/intake/v2/workspaces/" + WS + "/experiments/" + EXP
                + "/sessions?test_caseid=case-1");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asText()).isEqualTo("Unsupported query parameter(s): test_caseid.");
    }
}
