package dev.intake.bench.analysis;

import dev.intake.bench.load.Scenario;
import java.util.List;

/** One analysis request the benchmark times, with the issue's target for it (ms on a ~2 ms SELECT 1 machine). */
record AnalysisTarget(String name, String experiment, String path, double targetMs) {
    static final String BIG = "deep-100000";

    static List<AnalysisTarget> all() {
        String compare = "experiments/" + AnalysisCorpus.CANDIDATE + "/compare?baseline=" + AnalysisCorpus.BASELINE
                + "&evaluator=quality&page=1&page_size=100";
        return List.of(
                new AnalysisTarget("stats", BIG, "experiments/" + BIG + "/stats", 40),
                new AnalysisTarget("stats-status-error", BIG, "experiments/" + BIG + "/stats?status=error", 40),
                new AnalysisTarget("stats-test-case", BIG, "experiments/" + BIG + "/stats?test_case_id=case-7", 40),
                new AnalysisTarget("test-cases-page1", BIG, "experiments/" + BIG + "/test-cases?page=1&page_size=100", 25),
                new AnalysisTarget("test-cases-page1", AnalysisCorpus.CANDIDATE,
                        "experiments/" + AnalysisCorpus.CANDIDATE + "/test-cases?page=1&page_size=100", 25),
                new AnalysisTarget("compare-page1", AnalysisCorpus.CANDIDATE, compare, 40));
    }

    /** The load driver's and the engine replay's label for this request. */
    Scenario scenario() {
        return new Scenario(name, experiment, 0, path);
    }

    String key() {
        return name + "@" + experiment;
    }
}
