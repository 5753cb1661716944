package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentAnalysisApi;
import dev.intake.sdk.model.ExperimentTestCase;
import dev.intake.sdk.model.ExperimentTestCasesPage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-test-case rollup of {@link AnalysisFixture} (test cases a: 3 sessions, b: 2, c: 4, d: 1, one session
 * without a test case) against values computed by NumPy (src/test/python/analysis_expected.py, "test cases").
 */
@ExtendWith(ContractChecked.class)
class AnalysisTestCasesIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final double EPS = 1e-9;
    static Http http;

    @BeforeAll
    static void seed() {
        http = AnalysisFixture.seed(SERVER, WS);
    }

    static JsonNode page(String query) {
        Http.Response r = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/test-cases" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(row -> ids.add(row.get("test_case_id").asText()));
        return ids;
    }

    @Test
    void eachTestCaseRollsUpItsRepetitionsAndSessionsWithoutOneFormNoRow() throws ApiException {
        ExperimentTestCasesPage page = new ExperimentAnalysisApi(SERVER.sdk())
                .listExperimentTestCases(WS, "exp", null, null, null, null, null);

        assertThat(page.getData()).extracting(ExperimentTestCase::getTestCaseId).containsExactly("a", "b", "c", "d");
        assertThat(page.getPagination().getTotalResults()).isEqualTo(4);
        ExperimentTestCase a = page.getData().get(0);
        assertThat(a.getSessions()).isEqualTo(3);
        assertThat(a.getByStatus().getSuccess()).isEqualTo(2);
        assertThat(a.getByStatus().getError()).isEqualTo(1);
        assertThat(a.getLatencyMsMean()).isCloseTo(185.0, within(EPS));
        assertThat(a.getCostTotalUsdMean()).isCloseTo(0.023, within(EPS));
        assertThat(a.getTotalTokensMean()).isCloseTo(157.66666666666666, within(EPS));
        assertThat(a.getEvaluators().get("quality").getN()).isEqualTo(3);
        assertThat(a.getEvaluators().get("quality").getMean()).isCloseTo(0.6833333333333332, within(EPS));
        assertThat(a.getEvaluators().get("quality").getStddev()).isCloseTo(0.25658007197234417, within(EPS));
        assertThat(a.getEvaluators().get("quality").getPassRate()).isNull();
        assertThat(a.getEvaluators().get("correct").getStddev()).isCloseTo(0.5773502691896258, within(EPS));
        assertThat(a.getEvaluators().get("correct").getPassRate()).isCloseTo(0.6666666666666666, within(EPS));
        ExperimentTestCase b = page.getData().get(1);
        assertThat(b.getCostTotalUsdMean()).isCloseTo(0.03575, within(EPS));
        assertThat(b.getTotalTokensMean()).isCloseTo(170.0, within(EPS));
        assertThat(b.getEvaluators().get("quality").getStddev()).isCloseTo(0.1767766952966369, within(EPS));
        assertThat(b.getEvaluators().get("correct").getStddev()).isZero();
        assertThat(b.getEvaluators().get("correct").getPassRate()).isEqualTo(1.0);
        ExperimentTestCase c = page.getData().get(2);
        assertThat(c.getLatencyMsMean()).isCloseTo(486.0, within(EPS));
        assertThat(c.getTotalTokensMean()).isCloseTo(460.5, within(EPS));
        assertThat(c.getEvaluators().get("quality").getStddev()).isCloseTo(0.27801378862687126, within(EPS));
    }

    @Test
    void aSingleRepetitionHasNoStddevAndAnUnscoredEvaluatorIsAbsent() {
        JsonNode d = page("?sort=-test_case_id&page_size=1").get("data").get(0);

        assertThat(d.get("test_case_id").asText()).isEqualTo("d");
        assertThat(d.get("sessions").asLong()).isEqualTo(1);
        assertThat(d.get("evaluators").toString())
                .isEqualTo("{\"correct\":{\"n\":1,\"mean\":1.0,\"stddev\":null,\"pass_rate\":1.0}}");
        assertThat(d.get("latency_ms_mean").asDouble()).isEqualTo(75.0);
    }

    @ParameterizedTest(name = "sort={0}")
    @CsvSource({
        "test_case_id, a b c d",
        "-test_case_id, d c b a",
        "-sessions, c a b d",
        "sessions, d b a c",
        "evaluators.quality.mean, c a b d",
        "-evaluators.quality.mean, b a c d",
        "-latency_ms_mean, c b a d",
        "cost_total_usd_mean, d a b c",
        "-total_tokens_mean, c b a d",
        "-evaluators.no.such.evaluator.mean, a b c d",
    })
    void sortsWithNullsLastAndTiesByTestCaseId(String sort, String expected) {
        JsonNode page = page("?sort=" + sort);

        assertThat(ids(page)).containsExactly(expected.split(" "));
        assertThat(page.get("sort").asText()).isEqualTo(sort);
    }

    @Test
    void anEvaluatorNameInTheSortMayHoldAnyCharacterTheContractAllows() {
        // U+0085 and U+2028 end a line for Java's `.` but not for the regex dialects of clients and generators
        JsonNode page = page("?sort=-evaluators.a%C2%85b%E2%80%A8c.mean");

        assertThat(ids(page)).containsExactly("a", "b", "c", "d");
        assertThat(page.get("sort").asText()).isEqualTo("-evaluators.a\u0085b\u2028c.mean");
    }

    @Test
    void aStatusFilterKeepsTestCasesWithASessionOfThatStatusWholeRows() {
        JsonNode page = page("?status=error");

        assertThat(ids(page)).containsExactly("a", "c");
        assertThat(page.get("data").get(0).get("sessions").asLong()).isEqualTo(3);
        assertThat(page.get("pagination").get("total_results").asLong()).isEqualTo(2);
        assertThat(page.get("filter").toString()).isEqualTo("{\"status\":\"error\",\"min_sessions\":null}");
    }

    @Test
    void minSessionsKeepsTestCasesWithThatManyRepetitions() {
        assertThat(ids(page("?min_sessions=3"))).containsExactly("a", "c");
        assertThat(ids(page("?min_sessions=3&status=success&sort=-sessions"))).containsExactly("c", "a");
        assertThat(ids(page("?min_sessions=5"))).isEmpty();
    }

    @Test
    void pagesCarryExactTotalsAlsoPastTheEnd() {
        JsonNode first = page("?page_size=3");
        JsonNode second = page("?page_size=3&page=2");
        JsonNode past = page("?page_size=3&page=3");

        assertThat(ids(first)).containsExactly("a", "b", "c");
        assertThat(ids(second)).containsExactly("d");
        assertThat(ids(past)).isEmpty();
        for (JsonNode p : List.of(first, second, past)) {
            assertThat(p.get("pagination").get("total_results").asLong()).isEqualTo(4);
            assertThat(p.get("pagination").get("total_pages").asLong()).isEqualTo(2);
        }
    }

    @Test
    void anEmptyExperimentHasNoRowsAndAnUnknownOneIs404() {
        Http.Response empty = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/empty/test-cases");
        Http.Response unknown = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/nope/test-cases");

        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("pagination").get("total_results").asLong()).isZero();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("nope");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sort=latency", "sort=evaluators..mean", "sort=evaluators.quality", "min_sessions=0", "page=0",
        "verdict=improved"})
    void rejectsBadParametersWith400(String query) {
        Http.Response r = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/test-cases?" + query);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(query.substring(0, query.indexOf('=')));
    }
}
