package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentAnalysisApi;
import dev.intake.sdk.model.ExperimentStats;
import dev.intake.sdk.model.SpanStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Statistics over an experiment's sessions against values computed independently by NumPy/SciPy
 * (src/test/python/analysis_expected.py, section "stats") from the data of {@link AnalysisFixture}.
 */
@ExtendWith(ContractChecked.class)
class AnalysisStatsIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final double EPS = 1e-9;
    static Http http;

    @BeforeAll
    static void seed() {
        http = AnalysisFixture.seed(SERVER, WS);
        Experiments.create(http, WS, "single");
        Experiments.ingest(http, WS, Trajectories.aTrajectory("one", "single", "x").userStep("q", AnalysisFixture.T)
                .verifier(AnalysisFixture.T, AnalysisFixture.T.plusMillis(40)).reward("quality", 0.25));
    }

    static JsonNode stats(String experiment, String query) {
        Http.Response r = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/" + experiment + "/stats" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static void assertDistribution(JsonNode d, long n, double sum, double mean, double min, double p50, double p90,
                                   double p95, double p99, double max) {
        assertThat(d.get("n").asLong()).isEqualTo(n);
        double[] actual = {d.get("sum").asDouble(), d.get("mean").asDouble(), d.get("min").asDouble(),
                d.get("p50").asDouble(), d.get("p90").asDouble(), d.get("p95").asDouble(), d.get("p99").asDouble(),
                d.get("max").asDouble()};
        assertThat(actual).containsExactly(new double[] {sum, mean, min, p50, p90, p95, p99, max}, within(EPS));
    }

    @Test
    void unfilteredStatisticsMatchScipy() {
        JsonNode s = stats("exp", "");

        assertThat(s.get("sessions").asLong()).isEqualTo(11);
        assertThat(s.get("by_status").toString()).isEqualTo("{\"success\":9,\"error\":2,\"cancelled\":0,\"unknown\":0}");
        assertDistribution(s.get("latency_ms"), 11, 3264, 296.72727272727275, 50, 230, 505, 752, 949.6000000000001, 999);
        assertDistribution(s.get("cost_total_usd"), 9, 0.3115, 0.03461111111111111, 0.008, 0.026, 0.06060000000000001,
                0.07979999999999998, 0.09516, 0.099);
        assertDistribution(s.get("input_tokens"), 9, 2475, 275, 60, 205, 516, 708, 861.6, 900);
        assertDistribution(s.get("output_tokens"), 9, 246, 27.333333333333332, 6, 20, 51.6, 70.8, 86.16, 90);
        assertDistribution(s.get("total_tokens"), 10, 2721, 272.1, 30, 195, 514.8, 752.4, 942.48, 990);
        JsonNode quality = s.get("evaluators").get("quality");
        assertThat(quality.get("n").asLong()).isEqualTo(9);
        assertThat(quality.get("mean").asDouble()).isCloseTo(0.6611111111111111, within(EPS));
        assertThat(quality.get("stddev").asDouble()).isCloseTo(0.22745573439926967, within(EPS));
        assertThat(quality.get("ci95_low").asDouble()).isCloseTo(0.4862731564109057, within(EPS));
        assertThat(quality.get("ci95_high").asDouble()).isCloseTo(0.8359490658113164, within(EPS));
        assertThat(quality.get("min").asDouble()).isEqualTo(0.3);
        assertThat(quality.get("max").asDouble()).isEqualTo(0.95);
        assertThat(quality.get("pass_rate").isNull()).as("not a BOOLEAN evaluator").isTrue();
        JsonNode correct = s.get("evaluators").get("correct");
        assertThat(correct.get("n").asLong()).isEqualTo(10);
        assertThat(correct.get("mean").asDouble()).isCloseTo(0.7, within(EPS));
        assertThat(correct.get("stddev").asDouble()).isCloseTo(0.4830458915396479, within(EPS));
        assertThat(correct.get("ci95_low").asDouble()).isCloseTo(0.3544497855863562, within(EPS));
        assertThat(correct.get("ci95_high").asDouble()).isCloseTo(1.0455502144136437, within(EPS));
        assertThat(correct.get("pass_rate").asDouble()).isCloseTo(0.7, within(EPS));
        assertThat(s.get("test_cases").toString()).isEqualTo(
                "{\"count\":4,\"repetitions_min\":1,\"repetitions_max\":4,\"repetitions_mean\":2.5}");
    }

    @Test
    void aStatusFilterDescribesExactlyTheSessionsTheListReturns() throws ApiException {
        ExperimentStats s = new ExperimentAnalysisApi(SERVER.sdk()).getExperimentStats(WS, "exp",
                SpanStatus.ERROR, null, null, null, null, null, null, null, null, null, null, null);
        long listed = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions?status=error")
                .json().get("pagination").get("total_results").asLong();

        assertThat(s.getSessions()).isEqualTo(listed).isEqualTo(2);
        assertThat(s.getByStatus().getError()).isEqualTo(2);
        assertThat(s.getByStatus().getSuccess()).isZero();
        assertThat(s.getLatencyMs().getP90()).isCloseTo(324.0, within(EPS));
        assertThat(s.getCostTotalUsd().getSum()).isCloseTo(0.051, within(EPS));
        assertThat(s.getTotalTokens().getP99()).isCloseTo(273.9, within(EPS));
        assertThat(s.getEvaluators().get("quality").getCi95Low()).isCloseTo(-0.2853102368087348, within(EPS));
        assertThat(s.getEvaluators().get("quality").getCi95High()).isCloseTo(0.9853102368087348, within(EPS));
        assertThat(s.getTestCases().getCount()).isEqualTo(2);
        assertThat(s.getTestCases().getRepetitionsMax()).isEqualTo(1);
        assertThat(s.getFilter().getStatus()).hasToString("error");
    }

    @Test
    void theListsRangeScoreAndInputFiltersSelectTheSameSessionsAsTheList() {
        String query = "?min_latency_ms=200&score=quality%3E%3D0.6&max_cost_total_usd=0.05";
        JsonNode s = stats("exp", query);
        long listed = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions" + query)
                .json().get("pagination").get("total_results").asLong();

        // sessions 4 (230 ms, quality 0.85, $0.0205) and 8 (260 ms, 0.7, $0.026) of the fixture
        assertThat(s.get("sessions").asLong()).isEqualTo(listed).isEqualTo(2);
        assertDistribution(s.get("latency_ms"), 2, 490, 245, 230, 245, 257, 258.5, 259.7, 260);
        assertThat(s.get("filter").get("min_latency_ms").asDouble()).isEqualTo(200);
        assertThat(stats("exp", "?input_contains=question%201").get("sessions").asLong()).as("question 1 and 10")
                .isEqualTo(2);
        assertThat(http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/stats?score=quality%3E%3E1")
                .status()).isEqualTo(400);
    }

    @Test
    void aBooleanEvaluatorWithoutSpreadHasAPointIntervalAndItsPassRate() {
        JsonNode correct = stats("exp", "?status=error").get("evaluators").get("correct");

        assertThat(correct.get("n").asLong()).isEqualTo(2);
        assertThat(correct.get("stddev").asDouble()).isZero();
        assertThat(correct.get("ci95_low").asDouble()).isZero();
        assertThat(correct.get("ci95_high").asDouble()).isZero();
        assertThat(correct.get("pass_rate").asDouble()).isZero();
    }

    @Test
    void aTestCaseFilterDescribesThatTestCase() {
        JsonNode s = stats("exp", "?test_case_id=c");

        assertThat(s.get("sessions").asLong()).isEqualTo(4);
        assertDistribution(s.get("latency_ms"), 4, 1944, 486, 180, 382.5, 850.8, 924.9, 984.18, 999);
        assertDistribution(s.get("cost_total_usd"), 4, 0.186, 0.0465, 0.017, 0.035, 0.0825, 0.09075, 0.09735, 0.099);
        assertThat(s.get("evaluators").get("quality").get("stddev").asDouble()).isCloseTo(0.27801378862687126, within(EPS));
        assertThat(s.get("evaluators").get("correct").get("ci95_high").asDouble()).isCloseTo(1.4186931155185394, within(EPS));
        assertThat(s.get("test_cases").toString()).isEqualTo(
                "{\"count\":1,\"repetitions_min\":4,\"repetitions_max\":4,\"repetitions_mean\":4.0}");
        assertThat(s.get("filter").get("test_case_id").asText()).isEqualTo("c");
    }

    @Test
    void anEmptyExperimentHasCountsOfZeroAndNullMembers() {
        JsonNode s = stats("empty", "");

        assertThat(s.get("sessions").asLong()).isZero();
        assertThat(s.get("by_status").toString()).isEqualTo("{\"success\":0,\"error\":0,\"cancelled\":0,\"unknown\":0}");
        for (String d : List.of("latency_ms", "cost_total_usd", "input_tokens", "output_tokens", "total_tokens")) {
            assertThat(s.get(d).toString()).isEqualTo("{\"n\":0,\"sum\":null,\"mean\":null,\"min\":null,\"p50\":null,"
                    + "\"p90\":null,\"p95\":null,\"p99\":null,\"max\":null}");
        }
        assertThat(s.get("evaluators").size()).isZero();
        assertThat(s.get("test_cases").toString()).isEqualTo(
                "{\"count\":0,\"repetitions_min\":null,\"repetitions_max\":null,\"repetitions_mean\":null}");
    }

    @Test
    void aFilterThatMatchesNothingIsAnEmptySelectionNotA404() {
        assertThat(stats("exp", "?test_case_id=none").get("sessions").asLong()).isZero();
    }

    @Test
    void oneSessionHasNoStddevAndNoInterval() {
        JsonNode s = stats("single", "");
        JsonNode quality = s.get("evaluators").get("quality");

        assertThat(quality.get("n").asLong()).isEqualTo(1);
        assertThat(quality.get("mean").asDouble()).isEqualTo(0.25);
        assertThat(quality.get("stddev").isNull()).isTrue();
        assertThat(quality.get("ci95_low").isNull()).isTrue();
        assertThat(quality.get("ci95_high").isNull()).isTrue();
        assertDistribution(s.get("latency_ms"), 1, 40, 40, 40, 40, 40, 40, 40, 40);
        assertThat(s.get("cost_total_usd").get("n").asLong()).isZero();
    }

    @Test
    void anUnknownExperimentIs404AndAnUnknownParameter400() {
        Http.Response unknown = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/nope/stats");
        Http.Response misspelt = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/stats?stauts=error");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("nope");
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.body()).contains("stauts");
    }
}
