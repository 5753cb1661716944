package dev.intake.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * The statistics the analysis answers with, on summaries the store computed; distributions and tests are Apache
 * Commons Math's. Every method returns null where its statistic is undefined rather than NaN.
 */
final class Statistics {
    /**
     * Largest number of non-zero differences for which the Wilcoxon p-value is exact: Commons Math enumerates the
     * 2^n sign patterns, which takes under a millisecond at 12 and tens of milliseconds from 15 on.
     */
    static final int WILCOXON_EXACT_MAX = 12;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private Statistics() {
    }

    /** A 95 % confidence interval; both ends null when undefined. */
    record Interval(Double low, Double high) {
        static final Interval NONE = new Interval(null, null);
    }

    /**
     * Student t 95 % interval of a mean from {@code n} values with sample standard deviation {@code stddev}:
     * {@code mean ± t(0.975, n - 1) · stddev / √n}; the point {@code [mean, mean]} when stddev is 0.
     */
    static Interval meanInterval(long n, double mean, Double stddev) {
        if (n < 2 || stddev == null) {
            return Interval.NONE;
        }
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975) * stddev / Math.sqrt(n);
        return new Interval(mean - half, mean + half);
    }

    /**
     * Two-sided p-value of Welch's t-test from two samples' sizes, means and sample variances; null when a side
     * has fewer than 2 values or neither side varies (no t statistic exists).
     */
    static Double welchP(long n1, Double mean1, Double variance1, long n2, Double mean2, Double variance2) {
        if (n1 < 2 || n2 < 2 || variance1 == null || variance2 == null || variance1 + variance2 == 0) {
            return null;
        }
        return new TTest().tTest(summary(n1, mean1, variance1), summary(n2, mean2, variance2));
    }

    private static StatisticalSummaryValues summary(long n, double mean, double variance) {
        // max, min and sum are not used by the t-test
        return new StatisticalSummaryValues(mean, variance, n, Double.NaN, Double.NaN, mean * n);
    }

    /**
     * Benjamini–Hochberg adjusted p-values, in the order given: for the i-th smallest of m p-values,
     * {@code min over k ≥ i of p(k) · m / k}, capped at 1.
     */
    static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            adjusted[i] = running;
        }
        return adjusted;
    }

    /** Paired differences summarised: their mean, its interval, and two tests of "no difference". */
    record Paired(long n, Double meanDelta, Interval ci95, Double pairedTP, Double wilcoxonP) {
    }

    /**
     * @param deltas one difference (candidate − baseline) per paired test case
     */
    static Paired paired(double[] deltas) {
        int n = deltas.length;
        if (n == 0) {
            return new Paired(0, null, Interval.NONE, null, null);
        }
        double mean = StatUtils.mean(deltas);
        Double stddev = n < 2 ? null : Math.sqrt(StatUtils.variance(deltas));
        Double pairedT = stddev == null || stddev == 0 ? null : new TTest().tTest(0.0, deltas);
        return new Paired(n, mean, meanInterval(n, mean, stddev), pairedT, wilcoxonP(deltas));
    }

    /**
     * Two-sided Wilcoxon signed-rank p-value of differences against 0: zero differences are dropped, ties get
     * average ranks. Up to {@link #WILCOXON_EXACT_MAX} remaining differences the exact p-value (Commons Math);
     * above, the normal approximation of the statistic W with the continuity correction (|W - mean| reduced by 0.5)
     * and the tie correction of the variance, as SciPy's {@code wilcoxon(method="approx", correction=True)}.
     * Commons Math's own approximation moves the correction the other way, so only its statistic is used there.
     * Null when no non-zero difference remains.
     */
    static Double wilcoxonP(double[] deltas) {
        double[] nonZero = Arrays.stream(deltas).filter(d -> d != 0).toArray();
        int n = nonZero.length;
        if (n == 0) {
            return null;
        }
        WilcoxonSignedRankTest test = new WilcoxonSignedRankTest();
        double[] zeros = new double[n];
        if (n <= WILCOXON_EXACT_MAX) {
            return Math.min(1.0, test.wilcoxonSignedRankTest(nonZero, zeros, true));
        }
        double wMax = test.wilcoxonSignedRank(nonZero, zeros);
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1.0) * (2 * n + 1) / 24.0 - tieTerm(nonZero) / 48.0;
        double z = (wMax - mean - 0.5) / Math.sqrt(variance);
        return Math.min(1.0, 2 * STANDARD_NORMAL.cumulativeProbability(-z));
    }

    /** Σ (t³ - t) over groups of t equal absolute values. */
    private static double tieTerm(double[] values) {
        double[] abs = Arrays.stream(values).map(Math::abs).sorted().toArray();
        double sum = 0;
        int start = 0;
        for (int i = 1; i <= abs.length; i++) {
            if (i == abs.length || abs[i] != abs[start]) {
                double t = i - start;
                sum += t * t * t - t;
                start = i;
            }
        }
        return sum;
    }
}
