package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentAnalysisApi;
import dev.intake.sdk.model.ComparisonRow;
import dev.intake.sdk.model.ComparisonVerdict;
import dev.intake.sdk.model.ExperimentComparison;
import dev.intake.sdk.model.VerdictRule;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A candidate compared with a baseline, against values computed independently by SciPy
 * (src/test/python/analysis_expected.py, section "compare", with the same scores, latencies and costs).
 */
@ExtendWith(ContractChecked.class)
class AnalysisCompareIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final Instant T = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static final double EPS = 1e-9;
    static final Map<String, double[]> BASE = new LinkedHashMap<>();
    static final Map<String, double[]> CAND = new LinkedHashMap<>();
    static final Map<String, Integer> LAT_BASE = Map.of("t1", 100, "t2", 200, "t3", 300, "t4", 400, "t5", 500,
            "t6", 600, "t8", 800);
    static final Map<String, Integer> LAT_CAND = Map.of("t1", 150, "t2", 180, "t3", 330, "t4", 385, "t5", 540,
            "t7", 700, "t8", 790);
    static final Map<String, Double> COST_BASE = Map.of("t1", 0.01, "t2", 0.02, "t3", 0.03, "t4", 0.04, "t5", 0.05,
            "t6", 0.06, "t8", 0.08);
    static final Map<String, Double> COST_CAND = Map.of("t1", 0.012, "t2", 0.0165, "t3", 0.033, "t4", 0.041,
            "t5", 0.05, "t7", 0.07, "t8", 0.085);
    static Http http;
    static ExperimentAnalysisApi api;

    static {
        BASE.put("t1", new double[] {0.2, 0.3, 0.25, 0.35});
        BASE.put("t2", new double[] {0.6, 0.65, 0.7});
        BASE.put("t3", new double[] {0.5, 0.6});
        BASE.put("t4", new double[] {0.4});
        BASE.put("t5", new double[] {0.7, 0.7});
        BASE.put("t6", new double[] {0.5});
        BASE.put("t8", new double[] {0.1, 0.9, 0.5});
        CAND.put("t1", new double[] {0.8, 0.85, 0.9, 0.75});
        CAND.put("t2", new double[] {0.2, 0.25, 0.3});
        CAND.put("t3", new double[] {0.55, 0.5});
        CAND.put("t4", new double[] {0.9});
        CAND.put("t5", new double[] {0.7, 0.7});
        CAND.put("t7", new double[] {0.6, 0.4});
        CAND.put("t8", new double[] {0.3, 0.6, 0.2});
    }

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        api = new ExperimentAnalysisApi(SERVER.sdk());
        seedSide("base", BASE, LAT_BASE, COST_BASE);
        seedSide("cand", CAND, LAT_CAND, COST_CAND);
        // single repetitions only, and an unrelated evaluator on one side
        Experiments.create(http, WS, "single-base");
        Experiments.create(http, WS, "single-cand");
        Experiments.ingestAll(http, WS, List.of(session("single-base", "u1", 0, 0.5, 100, 0.01),
                session("single-base", "u2", 0, 0.5, 100, 0.01), session("single-cand", "u1", 0, 0.8, 100, 0.01),
                session("single-cand", "u2", 0, 0.45, 100, 0.01).reward("other", 1.0)));
    }

    static void seedSide(String experiment, Map<String, double[]> scores, Map<String, Integer> latency,
                         Map<String, Double> cost) {
        Experiments.create(http, WS, experiment);
        List<Trajectories> sessions = new ArrayList<>();
        scores.forEach((testCase, values) -> {
            for (int k = 0; k < values.length; k++) {
                sessions.add(session(experiment, testCase, k, values[k], latency.get(testCase) + 10 * k, cost.get(testCase)));
            }
        });
        // a session of the baseline without a test case is not compared
        sessions.add(Trajectories.aTrajectory(experiment + "-no-case", experiment, null).userStep("q", T)
                .verifier(T, T.plusMillis(5)).reward("score", 0.0));
        Experiments.ingestAll(http, WS, sessions);
    }

    static Trajectories session(String experiment, String testCase, int repetition, double score, int latencyMs,
                                double costUsd) {
        Instant start = T.plusSeconds(repetition);
        return Trajectories.aTrajectory(experiment + "-" + testCase + "-" + repetition, experiment, testCase)
                .userStep("q", start).agentStep("a", start, 10L, 1L, null, costUsd)
                .verifier(start, start.plusMillis(latencyMs)).reward("score", score);
    }

    static Http.Response get(String candidate, String query) {
        return http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/" + candidate + "/compare?" + query);
    }

    static JsonNode compare(String query) {
        Http.Response r = get("cand", "baseline=base&evaluator=score&" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> ids(JsonNode comparison) {
        List<String> ids = new ArrayList<>();
        comparison.get("data").forEach(row -> ids.add(row.get("test_case_id").asText()));
        return ids;
    }

    @Test
    void rowsCarryWelchPValuesTheirBenjaminiHochbergAdjustmentAndAVerdict() throws ApiException {
        ExperimentComparison c = api.compareExperiments(WS, "cand", "base", "score", null, null, null, null, null, null);
        Map<String, ComparisonRow> rows = new LinkedHashMap<>();
        c.getData().forEach(r -> rows.put(r.getTestCaseId(), r));

        assertThat(rows.keySet()).containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8");
        assertRow(rows.get("t1"), 1.9825283091582644e-05, 7.930113236633058e-05, 0.5499999999999999, ComparisonVerdict.IMPROVED);
        assertRow(rows.get("t2"), 0.0006081849444633351, 0.0012163698889266703, -0.4, ComparisonVerdict.REGRESSED);
        assertRow(rows.get("t3"), 0.7117227912336692, 0.7117227912336692, -0.025000000000000022, ComparisonVerdict.UNCHANGED);
        assertRow(rows.get("t8"), 0.64376682626508, 0.7117227912336692, -0.13333333333333336, ComparisonVerdict.UNCHANGED);
        assertThat(rows.get("t1").getVerdictRule()).isEqualTo(VerdictRule.SIGNIFICANCE);
        assertThat(rows.get("t1").getBaseline().getN()).isEqualTo(4);
        assertThat(rows.get("t1").getBaseline().getMean()).isCloseTo(0.275, within(EPS));
        assertThat(rows.get("t1").getCandidate().getStddev()).isCloseTo(0.06454972243679027, within(EPS));
        assertThat(rows.get("t1").getLatencyMsDelta()).isCloseTo(50.0, within(EPS));
        assertThat(rows.get("t2").getCostTotalUsdDelta()).isCloseTo(-0.0035, within(EPS));
    }

    static void assertRow(ComparisonRow row, double p, double adjusted, double delta, ComparisonVerdict verdict) {
        assertThat(row.getpValue()).isCloseTo(p, within(1e-12));
        assertThat(row.getpValueAdjusted()).isCloseTo(adjusted, within(1e-12));
        assertThat(row.getDelta()).isCloseTo(delta, within(EPS));
        assertThat(row.getVerdict()).isEqualTo(verdict);
    }

    @Test
    void withoutAPValueTheVerdictFollowsTheSignOfDeltaBeyondMinDelta() {
        JsonNode t4 = compare("verdict=improved&sort=p_value").get("data").get(1);
        JsonNode t5 = compare("sort=-delta").get("data").get(2);

        assertThat(t4.get("test_case_id").asText()).isEqualTo("t4");
        assertThat(t4.get("p_value").isNull()).as("a single repetition has no t-test").isTrue();
        assertThat(t4.get("verdict_rule").asText()).isEqualTo("min_delta");
        assertThat(t4.get("delta").asDouble()).isCloseTo(0.5, within(EPS));
        assertThat(t4.get("baseline").get("stddev").isNull()).isTrue();
        assertThat(t5.get("test_case_id").asText()).isEqualTo("t5");
        assertThat(t5.get("p_value").isNull()).as("no spread on either side: no t statistic").isTrue();
        assertThat(t5.get("verdict").asText()).isEqualTo("unchanged");
        assertThat(compare("min_delta=0.6&verdict=improved").get("data").get(0).get("test_case_id").asText())
                .as("t4's 0.5 is within min_delta; t1 stays improved by significance").isEqualTo("t1");
        assertThat(ids(compare("min_delta=0.6&verdict=improved"))).containsExactly("t1");
    }

    @Test
    void aTestCaseScoredOnOneSideOnlySaysWhich() {
        JsonNode t6 = compare("verdict=only_in_baseline").get("data").get(0);
        JsonNode t7 = compare("verdict=only_in_candidate").get("data").get(0);

        assertThat(t6.get("test_case_id").asText()).isEqualTo("t6");
        assertThat(t6.get("candidate").toString()).isEqualTo("{\"n\":0,\"mean\":null,\"stddev\":null}");
        assertThat(t6.get("delta").isNull()).isTrue();
        assertThat(t6.get("latency_ms_delta").isNull()).isTrue();
        assertThat(t6.get("verdict_rule").asText()).isEqualTo("presence");
        assertThat(t7.get("test_case_id").asText()).isEqualTo("t7");
        assertThat(t7.get("baseline").get("n").asLong()).isZero();
    }

    @Test
    void theSummaryPairsTestCasesAndMatchesScipyOnEveryPage() {
        JsonNode first = compare("page_size=3").get("summary");
        JsonNode s = compare("page_size=3&page=3&verdict=regressed").get("summary");

        assertThat(s).isEqualTo(first);
        assertThat(s.get("evaluator").asText()).isEqualTo("score");
        assertThat(s.get("correction").asText()).isEqualTo("benjamini_hochberg");
        assertThat(s.get("alpha").asDouble()).isEqualTo(0.05);
        assertThat(s.get("verdict_rule").asText()).isEqualTo("mixed");
        assertThat(List.of(s.get("compared").asLong(), s.get("paired").asLong(), s.get("improved").asLong(),
                s.get("regressed").asLong(), s.get("unchanged").asLong(), s.get("only_in_baseline").asLong(),
                s.get("only_in_candidate").asLong())).containsExactly(8L, 6L, 2L, 1L, 3L, 1L, 1L);
        assertPaired(s, 0.08194444444444442, -0.3080768465767118, 0.47196573546560067, 0.6123151423304638, 0.8125);
        assertThat(s.get("latency_ms").get("n").asLong()).isEqualTo(6);
        assertPaired(s.get("latency_ms"), 12.5, -19.97320846308275, 44.97320846308275, 0.3678545374254784, 0.4375);
        assertPaired(s.get("cost_total_usd"), 0.0012500000000000013, -0.0017870239518528025, 0.004287023951852805,
                0.33846086486694094, 0.4375);
    }

    static void assertPaired(JsonNode p, double mean, double low, double high, double pairedT, double wilcoxon) {
        assertThat(p.get("mean_delta").asDouble()).isCloseTo(mean, within(EPS));
        assertThat(p.get("ci95_low").asDouble()).isCloseTo(low, within(EPS));
        assertThat(p.get("ci95_high").asDouble()).isCloseTo(high, within(EPS));
        assertThat(p.get("paired_t_p_value").asDouble()).isCloseTo(pairedT, within(1e-9));
        assertThat(p.get("wilcoxon_p_value").asDouble()).isCloseTo(wilcoxon, within(1e-12));
    }

    @Test
    void aStricterAlphaTurnsALessSignificantDifferenceUnchanged() {
        assertThat(ids(compare("alpha=0.0001&verdict=improved"))).containsExactly("t1", "t4");
        assertThat(ids(compare("alpha=0.0001&verdict=regressed"))).isEmpty();
    }

    @ParameterizedTest(name = "sort={0}")
    @CsvSource({
        "test_case_id, t1 t2 t3 t4 t5 t6 t7 t8",
        "delta, t2 t8 t3 t5 t4 t1 t6 t7",
        "-delta, t1 t4 t5 t3 t8 t2 t6 t7",
        "p_value, t1 t2 t8 t3 t4 t5 t6 t7",
    })
    void sortsWithNullsLastAndTiesByTestCaseId(String sort, String expected) {
        assertThat(ids(compare("sort=" + sort))).containsExactly(expected.split(" "));
    }

    @Test
    void pagesAndTheVerdictFilterHaveExactTotals() {
        JsonNode last = compare("page_size=3&page=3");
        JsonNode past = compare("page_size=3&page=4");
        JsonNode unchanged = compare("verdict=unchanged");

        assertThat(ids(last)).containsExactly("t7", "t8");
        assertThat(last.get("pagination").get("total_results").asLong()).isEqualTo(8);
        assertThat(last.get("pagination").get("total_pages").asLong()).isEqualTo(3);
        assertThat(ids(past)).isEmpty();
        assertThat(past.get("pagination").get("total_results").asLong()).isEqualTo(8);
        assertThat(ids(unchanged)).containsExactly("t3", "t5", "t8");
        assertThat(unchanged.get("pagination").get("total_results").asLong()).isEqualTo(3);
        assertThat(unchanged.get("filter").get("verdict").asText()).isEqualTo("unchanged");
    }

    @Test
    void withSingleRepetitionsOnlyTheSummarySaysNoSignificanceWasPossible() {
        Http.Response r = get("single-cand", "baseline=single-base&evaluator=score");
        JsonNode c = r.json();

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(c.get("summary").get("verdict_rule").asText()).isEqualTo("min_delta");
        assertThat(ids(c)).containsExactly("u1", "u2");
        assertThat(c.get("data").get(0).get("verdict").asText()).isEqualTo("improved");
        assertThat(c.get("data").get(1).get("verdict").asText()).isEqualTo("regressed");
        assertThat(c.get("data").get(0).get("p_value").isNull()).isTrue();
        assertThat(get("single-cand", "baseline=single-base&evaluator=score&min_delta=0.1").json()
                .get("summary").get("unchanged").asLong()).isEqualTo(1);
    }

    @Test
    void anEvaluatorOnOneSideOnlyIsComparedAsPresence() {
        JsonNode c = get("single-cand", "baseline=single-base&evaluator=other").json();

        assertThat(ids(c)).containsExactly("u2");
        assertThat(c.get("data").get(0).get("verdict").asText()).isEqualTo("only_in_candidate");
        assertThat(c.get("summary").get("verdict_rule").asText()).isEqualTo("none");
        assertThat(c.get("summary").get("mean_delta").isNull()).isTrue();
    }

    @Test
    void anUnknownBaselineIs404NamingIt() {
        Http.Response r = get("cand", "baseline=ghost&evaluator=score");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText()).contains("ghost");
    }

    @Test
    void anUnknownCandidateIs404() {
        Http.Response r = get("nope", "baseline=base&evaluator=score");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText()).contains("nope");
    }

    @Test
    void anExperimentIsNotItsOwnBaseline() {
        Http.Response r = get("cand", "baseline=cand&evaluator=score");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("baseline");
    }

    @Test
    void anEvaluatorNeitherSideHasIs400() {
        Http.Response r = get("cand", "baseline=base&evaluator=nothing");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("evaluator");
        assertThat(r.json().get("detail").asText()).contains("nothing");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"evaluator=score, baseline", "baseline=base, evaluator", "baseline=base&evaluator=score&alpha=0, alpha",
        "baseline=base&evaluator=score&alpha=1, alpha", "baseline=base&evaluator=score&min_delta=-1, min_delta",
        "baseline=base&evaluator=score&sort=pvalue, sort", "baseline=base&evaluator=score&verdict=better, verdict",
        "baseline=base&evaluator=score&status=error, status"})
    void rejectsBadParametersWith400(String query, String parameter) {
        Http.Response r = get("cand", query);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(parameter);
    }
}
