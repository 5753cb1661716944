package dev.intake.analysis;

import dev.intake.api.model.ComparisonFilter;
import dev.intake.api.model.ComparisonRow;
import dev.intake.api.model.ComparisonSide;
import dev.intake.api.model.ComparisonSort;
import dev.intake.api.model.ComparisonSummary;
import dev.intake.api.model.ComparisonVerdict;
import dev.intake.api.model.Distribution;
import dev.intake.api.model.EvaluatorStats;
import dev.intake.api.model.ExperimentComparison;
import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.api.model.ExperimentStats;
import dev.intake.api.model.ExperimentTestCase;
import dev.intake.api.model.PairedDelta;
import dev.intake.api.model.PaginationData;
import dev.intake.api.model.StatusCounts;
import dev.intake.api.model.TestCaseEvaluator;
import dev.intake.api.model.TestCaseRepetitions;
import dev.intake.api.model.VerdictRule;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The analysis' records to the wire models: micro-USD become USD, engine NaNs are already nulls. */
final class AnalysisMapper {
    private AnalysisMapper() {
    }

    static ExperimentStats stats(StatsQuery.Totals t, List<StatsQuery.Evaluator> evaluators,
                                 ExperimentSessionFilter filter) {
        Map<String, EvaluatorStats> byName = new TreeMap<>();
        for (StatsQuery.Evaluator e : evaluators) {
            Statistics.Interval ci = Statistics.meanInterval(e.n(), e.mean(), e.stddev());
            byName.put(e.name(), new EvaluatorStats(e.n(), e.mean(), e.stddev(), ci.low(), ci.high(), e.min(), e.max(),
                    e.isBoolean() ? (double) e.passes() / e.n() : null));
        }
        return new ExperimentStats(t.sessions(), statusCounts(t.byStatus()), distribution(t.latencyMs(), v -> v),
                distribution(t.costMicroUsd(), AnalysisMapper::usd), distribution(t.inputTokens(), v -> v),
                distribution(t.outputTokens(), v -> v), distribution(t.totalTokens(), v -> v), byName,
                new TestCaseRepetitions(t.testCases(), t.repetitionsMin(), t.repetitionsMax(), t.repetitionsMean()),
                filter);
    }

    private static Distribution distribution(StatsQuery.Distribution d, UnaryOperator<Double> unit) {
        return new Distribution(d.n(), apply(unit, d.sum()), apply(unit, d.mean()), apply(unit, d.min()),
                apply(unit, d.p50()), apply(unit, d.p90()), apply(unit, d.p95()), apply(unit, d.p99()),
                apply(unit, d.max()));
    }

    private static Double apply(UnaryOperator<Double> unit, Double v) {
        return v == null ? null : unit.apply(v);
    }

    static StatusCounts statusCounts(StatsQuery.StatusCounts c) {
        return new StatusCounts(c.success(), c.error(), c.cancelled(), c.unknown());
    }

    static ExperimentTestCase testCase(TestCasesQuery.TestCase t) {
        Map<String, TestCaseEvaluator> evaluators = new TreeMap<>();
        t.evaluators().forEach((name, e) -> evaluators.put(name,
                new TestCaseEvaluator(e.n(), e.mean(), e.stddev(), e.passRate())));
        return new ExperimentTestCase(t.testCaseId(), t.sessions(), statusCounts(t.byStatus()), t.latencyMsMean(),
                usd(t.costMicroUsdMean()), t.totalTokensMean(), evaluators);
    }

    static ExperimentComparison comparison(String baseline, String candidate, List<Comparison.Row> page,
                                           PaginationData pagination, ComparisonSort sort, ComparisonVerdict verdict,
                                           Comparison.Summary s, String evaluator, double alpha, double minDelta) {
        List<ComparisonRow> rows = page.stream().map(AnalysisMapper::row).toList();
        Statistics.Paired score = s.score();
        ComparisonSummary summary = new ComparisonSummary(evaluator, ComparisonSummary.CorrectionEnum.BENJAMINI_HOCHBERG,
                alpha, minDelta, rule(s.rule()), s.compared(), s.paired(),
                s.verdicts().get(Comparison.Verdict.IMPROVED), s.verdicts().get(Comparison.Verdict.REGRESSED),
                s.verdicts().get(Comparison.Verdict.UNCHANGED), s.verdicts().get(Comparison.Verdict.ONLY_IN_BASELINE),
                s.verdicts().get(Comparison.Verdict.ONLY_IN_CANDIDATE), score.meanDelta(), score.ci95().low(),
                score.ci95().high(), score.pairedTP(), score.wilcoxonP(), paired(s.latencyMs(), v -> v),
                paired(s.costMicroUsd(), AnalysisMapper::usd));
        return new ExperimentComparison(baseline, candidate, rows, pagination, sort,
                new ComparisonFilter(verdict),
                summary);
    }

    private static ComparisonRow row(Comparison.Row r) {
        ComparisonQuery.TestCase t = r.sides();
        return new ComparisonRow(t.testCaseId(), side(t.baseline()), side(t.candidate()), r.delta(), r.pValue(),
                r.pValueAdjusted(), ComparisonVerdict.fromValue(r.verdict().name().toLowerCase(Locale.ROOT)),
                rule(r.rule()), r.latencyMsDelta(), usd(r.costMicroUsdDelta()));
    }

    private static ComparisonSide side(ComparisonQuery.Side s) {
        return new ComparisonSide(s.n(), s.mean(), s.variance() == null ? null : Math.sqrt(s.variance()));
    }

    private static PairedDelta paired(Statistics.Paired p, UnaryOperator<Double> unit) {
        return new PairedDelta(p.n(), apply(unit, p.meanDelta()), apply(unit, p.ci95().low()),
                apply(unit, p.ci95().high()), p.pairedTP(), p.wilcoxonP());
    }

    private static VerdictRule rule(Comparison.Rule rule) {
        return VerdictRule.fromValue(rule.name().toLowerCase(Locale.ROOT));
    }

    /** Micro-USD to USD by an exact decimal shift (50000 becomes the double nearest 0.05). */
    static Double usd(Double micro) {
        return micro == null ? null : new BigDecimal(micro).movePointLeft(6).doubleValue();
    }
}
