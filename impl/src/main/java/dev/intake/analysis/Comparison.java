package dev.intake.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A comparison of a candidate with a baseline, per test case: Welch p-values, the Benjamini–Hochberg correction
 * across test cases, a verdict per test case, and the paired summary across test cases. Higher scores are better.
 */
final class Comparison {
    enum Verdict { IMPROVED, REGRESSED, UNCHANGED, ONLY_IN_BASELINE, ONLY_IN_CANDIDATE }

    enum Rule { SIGNIFICANCE, MIN_DELTA, PRESENCE, MIXED, NONE }

    enum Order { DELTA, DELTA_DESC, P_VALUE, TEST_CASE_ID }

    /** One compared test case; cost delta in micro-USD. */
    record Row(ComparisonQuery.TestCase sides, Double delta, Double pValue, Double pValueAdjusted, Verdict verdict,
               Rule rule, Double latencyMsDelta, Double costMicroUsdDelta) {
        String testCaseId() {
            return sides.testCaseId();
        }
    }

    /** The whole comparison: counts per verdict, the rule that decided, and paired summaries (cost in micro-USD). */
    record Summary(long compared, long paired, Map<Verdict, Long> verdicts, Rule rule, Statistics.Paired score,
                   Statistics.Paired latencyMs, Statistics.Paired costMicroUsd) {
    }

    private final List<Row> rows;
    private final Summary summary;

    private Comparison(List<Row> rows, Summary summary) {
        this.rows = rows;
        this.summary = summary;
    }

    /**
     * @param alpha    false-discovery rate for the corrected p-values
     * @param minDelta for test cases without a p-value, the smallest |delta| that is a change
     */
    static Comparison of(List<ComparisonQuery.TestCase> testCases, double alpha, double minDelta) {
        List<Double> pValues = new ArrayList<>();
        for (ComparisonQuery.TestCase t : testCases) {
            pValues.add(Statistics.welchP(t.baseline().n(), t.baseline().mean(), t.baseline().variance(),
                    t.candidate().n(), t.candidate().mean(), t.candidate().variance()));
        }
        Double[] adjusted = adjust(pValues);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < testCases.size(); i++) {
            rows.add(row(testCases.get(i), pValues.get(i), adjusted[i], alpha, minDelta));
        }
        return new Comparison(rows, summarize(rows));
    }

    private static Double[] adjust(List<Double> pValues) {
        List<Integer> tested = new ArrayList<>();
        for (int i = 0; i < pValues.size(); i++) {
            if (pValues.get(i) != null) {
                tested.add(i);
            }
        }
        double[] raw = tested.stream().mapToDouble(pValues::get).toArray();
        double[] corrected = Statistics.benjaminiHochberg(raw);
        Double[] adjusted = new Double[pValues.size()];
        for (int k = 0; k < tested.size(); k++) {
            adjusted[tested.get(k)] = corrected[k];
        }
        return adjusted;
    }

    private static Row row(ComparisonQuery.TestCase t, Double p, Double adjusted, double alpha, double minDelta) {
        Double latency = difference(t.candidateLatencyMs(), t.baselineLatencyMs());
        Double cost = difference(t.candidateCostMicroUsd(), t.baselineCostMicroUsd());
        if (t.baseline().n() == 0) {
            return new Row(t, null, null, null, Verdict.ONLY_IN_CANDIDATE, Rule.PRESENCE, latency, cost);
        }
        if (t.candidate().n() == 0) {
            return new Row(t, null, null, null, Verdict.ONLY_IN_BASELINE, Rule.PRESENCE, latency, cost);
        }
        double delta = t.candidate().mean() - t.baseline().mean();
        if (p != null) {
            Verdict v = adjusted <= alpha && delta != 0 ? signOf(delta) : Verdict.UNCHANGED;
            return new Row(t, delta, p, adjusted, v, Rule.SIGNIFICANCE, latency, cost);
        }
        Verdict v = Math.abs(delta) > minDelta ? signOf(delta) : Verdict.UNCHANGED;
        return new Row(t, delta, null, null, v, Rule.MIN_DELTA, latency, cost);
    }

    private static Verdict signOf(double delta) {
        return delta > 0 ? Verdict.IMPROVED : Verdict.REGRESSED;
    }

    private static Double difference(Double candidate, Double baseline) {
        return candidate == null || baseline == null ? null : candidate - baseline;
    }

    private static Summary summarize(List<Row> rows) {
        Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, 0L);
        }
        List<Row> paired = new ArrayList<>();
        for (Row r : rows) {
            verdicts.merge(r.verdict(), 1L, Long::sum);
            if (r.delta() != null) {
                paired.add(r);
            }
        }
        boolean significance = paired.stream().anyMatch(r -> r.rule() == Rule.SIGNIFICANCE);
        boolean minDelta = paired.stream().anyMatch(r -> r.rule() == Rule.MIN_DELTA);
        Rule rule = significance && minDelta ? Rule.MIXED
                : significance ? Rule.SIGNIFICANCE : minDelta ? Rule.MIN_DELTA : Rule.NONE;
        return new Summary(rows.size(), paired.size(), verdicts, rule, pairedOf(paired, Row::delta),
                pairedOf(paired, Row::latencyMsDelta), pairedOf(paired, Row::costMicroUsdDelta));
    }

    private static Statistics.Paired pairedOf(List<Row> paired, Function<Row, Double> delta) {
        return Statistics.paired(paired.stream().map(delta).filter(d -> d != null).mapToDouble(Double::doubleValue)
                .toArray());
    }

    Summary summary() {
        return summary;
    }

    /** The rows with the verdict (or all when null), in the order asked. */
    List<Row> rows(Verdict verdict, Order order) {
        return rows.stream().filter(r -> verdict == null || r.verdict() == verdict).sorted(comparator(order)).toList();
    }

    private static Comparator<Row> comparator(Order order) {
        Comparator<Row> byId = Comparator.comparing(Row::testCaseId);
        Comparator<Row> first = switch (order) {
            case DELTA -> Comparator.comparing(Row::delta, Comparator.nullsLast(Comparator.<Double>naturalOrder()));
            case DELTA_DESC -> Comparator.comparing(Row::delta, Comparator.nullsLast(Comparator.<Double>reverseOrder()));
            case P_VALUE -> Comparator.comparing(Row::pValue, Comparator.nullsLast(Comparator.<Double>naturalOrder()));
            case TEST_CASE_ID -> byId;
        };
        return first.thenComparing(byId);
    }
}
