package dev.intake.analysis;

import dev.intake.Golden;
import dev.intake.api.model.ExperimentSessionFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsGoldenTest {
    static StatsQuery.Distribution distribution(double min, double max) {
        return new StatsQuery.Distribution(3, min + max + (min + max) / 2, (min + max) / 2, min, (min + max) / 2,
                max * 0.9, max * 0.95, max * 0.99, max);
    }

    @Test
    void statisticsOfThreeSessionsWithANumericAndABooleanEvaluator() {
        StatsQuery.Totals totals = new StatsQuery.Totals(3, new StatsQuery.StatusCounts(2, 1, 0, 0),
                distribution(1000, 2000), distribution(10_000, 50_000), distribution(100, 300), distribution(10, 30),
                distribution(110, 330), 2, 1L, 2L, 1.5);
        List<StatsQuery.Evaluator> evaluators = List.of(
                new StatsQuery.Evaluator("quality", 3, 0.7, 0.1, 0.6, 0.8, false, 0),
                new StatsQuery.Evaluator("correct", 3, 2.0 / 3, 0.5773502691896258, 0, 1, true, 2));
        ExperimentSessionFilter filter = new ExperimentSessionFilter(dev.intake.api.model.SpanStatus.ERROR,
                null, 100.0, null, null, null, null, null, null, null, List.of("quality>=0.5"), null);

        Golden.assertMatches("experiment-stats", AnalysisMapper.stats(totals, evaluators, filter));
    }

    @Test
    void statisticsOfNoSession() {
        StatsQuery.Distribution none = new StatsQuery.Distribution(0, null, null, null, null, null, null, null, null);
        StatsQuery.Totals totals = new StatsQuery.Totals(0, new StatsQuery.StatusCounts(0, 0, 0, 0), none, none, none,
                none, none, 0, null, null, null);

        Golden.assertMatches("experiment-stats-empty", AnalysisMapper.stats(totals, List.of(),
                new ExperimentSessionFilter(null, null, null, null, null, null, null, null, null, null, List.of(), null)));
    }
}
