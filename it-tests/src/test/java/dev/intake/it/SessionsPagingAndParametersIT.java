package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentSessionsApi;
import dev.intake.sdk.model.ExperimentSessionResponse;
import dev.intake.sdk.model.ExperimentSessionResponsesPage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stable pages and every rejected parameter of the session list. */
@ExtendWith(ContractChecked.class)
class SessionsPagingAndParametersIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final int SESSIONS = 23;
    static final Instant T = Instant.now().minus(5, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static ExperimentSessionsApi api;

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        Http http = SERVER.http();
        create(http, WS, "exp");
        for (int i = 0; i < SESSIONS; i++) {
            // Three sessions share each start time, so order within a time falls to root_span_id.
            ingest(http, WS, Trajectories.upstreamShape("s-" + i, "exp", "tc-" + (i % 4), T.plusSeconds(i / 3), 1.0));
        }
        api = new ExperimentSessionsApi(SERVER.sdk());
    }

    @Test
    void walkingAllPagesReturnsEverySessionOnceInOrder() throws ApiException {
        List<ExperimentSessionResponse> walked = new ArrayList<>();
        ExperimentSessionResponsesPage page;
        int number = 1;
        do {
            page = api.listExperimentSessions(WS, "exp", number, 5, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            assertThat(page.getPagination().getPage()).isEqualTo(number);
            assertThat(page.getPagination().getTotalResults()).isEqualTo(SESSIONS);
            assertThat(page.getPagination().getTotalPages()).isEqualTo(5);
            assertThat(page.getPagination().getCurrentPageSize()).isEqualTo(page.getData().size());
            walked.addAll(page.getData());
            number++;
        } while (!page.getData().isEmpty());

        assertThat(number - 2).isEqualTo(5);
        assertThat(walked).extracting(ExperimentSessionResponse::getSessionId).doesNotHaveDuplicates().hasSize(SESSIONS);
        for (int i = 1; i < walked.size(); i++) {
            ExperimentSessionResponse a = walked.get(i - 1);
            ExperimentSessionResponse b = walked.get(i);
            boolean ordered = a.getStartedAt().isBefore(b.getStartedAt())
                    || a.getStartedAt().isEqual(b.getStartedAt()) && a.getRootSpanId().compareTo(b.getRootSpanId()) < 0;
            assertThat(ordered).as("row %d before row %d", i - 1, i).isTrue();
        }
    }

    @Test
    void aPagePastTheEndIsEmptyWithTheTrueTotals() throws ApiException {
        ExperimentSessionResponsesPage page = api.listExperimentSessions(WS, "exp", 100, 10, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getData()).isEmpty();
        assertThat(page.getPagination().getCurrentPageSize()).isZero();
        assertThat(page.getPagination().getTotalResults()).isEqualTo(SESSIONS);
        assertThat(page.getPagination().getTotalPages()).isEqualTo(3);
    }

    @Test
    void defaultsArePageOneOfAHundred() throws ApiException {
        ExperimentSessionResponsesPage page = api.listExperimentSessions(WS, "exp", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getPagination().getPage()).isEqualTo(1);
        assertThat(page.getPagination().getPageSize()).isEqualTo(100);
        assertThat(page.getData()).hasSize(SESSIONS);
        assertThat(page.getSort()).isEqualTo("started_at,root_span_id");
        assertThat(page.getFilter().getStatus()).isNull();
    }

    @Test
    void theOrderAPageStatesIsAValidSortGivingTheSameOrder() throws ApiException {
        for (String sort : List.of("-latency_ms", "started_at", "evaluator_scores.reward,-status",
                "-status,test_case_id,evaluator_scores.reward")) {
            ExperimentSessionResponsesPage first = api.listExperimentSessions(WS, "exp", null, 7, null, null, sort, null, null, null, null, null, null, null, null, null, null, null, null);
            ExperimentSessionResponsesPage again = api.listExperimentSessions(WS, "exp", null, 7, null, null, first.getSort(), null, null, null, null, null, null, null, null, null, null, null, null);

            assertThat(first.getSort()).as(sort).contains("root_span_id");
            assertThat(again.getSort()).isEqualTo(first.getSort());
            assertThat(again.getData()).extracting(ExperimentSessionResponse::getSessionId)
                    .containsExactlyElementsOf(first.getData().stream().map(ExperimentSessionResponse::getSessionId).toList());
        }
    }

    @Test
    void filtersCountBeforePagination() throws ApiException {
        ExperimentSessionResponsesPage page = api.listExperimentSessions(WS, "exp", 2, 2, null, "tc-1", null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getPagination().getTotalResults()).isEqualTo(6);
        assertThat(page.getData()).extracting(ExperimentSessionResponse::getTestCaseId).containsOnly("tc-1");
    }

    @Test
    void anEmptyExperimentHasZeroPages() throws ApiException {
        create(SERVER.http(), WS, "empty");

        ExperimentSessionResponsesPage page = api.listExperimentSessions(WS, "empty", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(page.getData()).isEmpty();
        assertThat(page.getPagination().getTotalPages()).isZero();
        assertThat(page.getPagination().getTotalResults()).isZero();
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "page=0|page",
        "page=-1|page",
        "page=abc|page",
        "page=1.5|page",
        "page_size=0|page_size",
        "page_size=1001|page_size",
        "page_size=ten|page_size",
        "status=bogus|status",
        "status=SUCCESS|status",
        "test_case_id=|test_case_id",
        "pagesize=10|pagesize",
        "filter[status]=error|filter[status]",
        "page=1&page_size=5&sort=-bogus|sort",
        "sort=latency_ms,status,test_case_id,-started_at|sort",
        "sort=latency_ms,status,test_case_id,root_span_id,started_at|sort",
        "sort=latency_ms,-latency_ms|sort",
        "sort=%09started_at|sort",
        "sort=evaluator_scores.%20|sort",
        "sort=session_id|sort",
        "sort=evaluator_scores.|sort",
        "sort=started_at,,latency_ms|sort",
    })
    void badParametersAre400NamingTheParameter(String query, String parameter) {
        Http.Response r = SERVER.http().get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions?"
                + query.replace("[", "%5B").replace("]", "%5D"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field")).contains(parameter);
    }

    @ParameterizedTest(name = "{0} -> 400")
    @CsvSource({"bad%20ws,exp", "ws,bad%2Fname", "ws,way-too-long-name-way-too-long-name-way-too-long-name-way-too-long-name"})
    void badWorkspaceOrExperimentNamesAre400(String workspace, String name) {
        Http.Response r = SERVER.http().get("/apis/intake/v2/workspaces/" + workspace + "/experiments/" + name + "/sessions");

        assertThat(r.status()).isIn(400, 404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
