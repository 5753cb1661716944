package dev.intake.bench.analysis;

import dev.intake.bench.load.Scenario;
import java.util.List;

/** One analysis request the benchmark times, with the issue's target for it (ms on a ~2 ms SELECT 1 machine). */
record AnalysisTarget(String name, String experiment, String path, double targetMs) {
    /**
     * @param big    the large experiment whose statistics and test cases are timed (the issue's: deep-100000)
     * @param others experiments whose unfiltered statistics are timed too, as points of the growth table only (no
     *               target of their own: 0, and left out of the analysis table)
     */
    static List<AnalysisTarget> all(String big, List<String> others) {
        List<AnalysisTarget> all = new java.util.ArrayList<>(all(big));
        for (String other : others) {
            if (!other.equals(big)) {
                all.add(new AnalysisTarget("stats", other, "experiments/" + other + "/stats", 0));
            }
        }
        return all;
    }

    private static List<AnalysisTarget> all(String big) {
        String compare = "experiments/" + AnalysisCorpus.CANDIDATE + "/compare?baseline=" + AnalysisCorpus.BASELINE
                + "&evaluator=quality&page=1&page_size=100";
        return List.of(
                new AnalysisTarget("stats", big, "experiments/" + big + "/stats", 40),
                new AnalysisTarget("stats-status-error", big, "experiments/" + big + "/stats?status=error", 40),
                new AnalysisTarget("stats-test-case", big, "experiments/" + big + "/stats?test_case_id=case-7", 40),
                new AnalysisTarget("stats-score", big, "experiments/" + big + "/stats?score=quality%3C0.5", 40),
                new AnalysisTarget("test-cases-page1", big, "experiments/" + big + "/test-cases?page=1&page_size=100", 25),
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
