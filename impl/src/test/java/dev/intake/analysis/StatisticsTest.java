package dev.intake.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The statistics against values computed independently by SciPy 1.x (it-tests/src/test/python/analysis_expected.py,
 * section "wilcoxon approx"), on the input data repeated here.
 */
class StatisticsTest {
    static final double[] DIFFERENCES = {0.5, -0.2, 0.3, 0.3, 0.8, -0.1, 0.4, 0.6, -0.3, 0.2, 0.7, 0.3, 0.9, -0.4, 0.0,
            1.1, 0.25};

    @Test
    void wilcoxonAboveTheExactLimitIsScipysNormalApproximationWithContinuityAndTieCorrections() {
        // 16 non-zero differences, |0.3| four times and |0.2|, |0.4| twice: the tie correction matters
        assertThat(Statistics.wilcoxonP(DIFFERENCES)).isCloseTo(0.012882060153180797, within(1e-12));
    }

    @Test
    void wilcoxonUpToTwelveDifferencesIsExact() {
        // scipy.stats.wilcoxon([0.55, -0.4, -0.025, 0.5, -0.1333...], method="exact"); the zero is dropped
        double[] deltas = {0.5499999999999999, -0.4, -0.025000000000000022, 0.5, 0.0, -0.13333333333333336};
        assertThat(Statistics.wilcoxonP(deltas)).isCloseTo(0.8125, within(1e-12));
    }

    @Test
    void wilcoxonOfOnlyZeroDifferencesIsUndefined() {
        assertThat(Statistics.wilcoxonP(new double[] {0, 0, 0})).isNull();
    }

    @Test
    void pairedTIsTheOneSampleTOfTheDifferences() {
        Statistics.Paired p = Statistics.paired(DIFFERENCES);

        assertThat(p.pairedTP()).isCloseTo(0.0077480911175790805, within(1e-12));
        assertThat(p.n()).isEqualTo(17);
    }

    @Test
    void identicalDifferencesHaveAPointIntervalAndNoTTest() {
        Statistics.Paired p = Statistics.paired(new double[] {0.2, 0.2, 0.2});

        assertThat(p.meanDelta()).isCloseTo(0.2, within(1e-15));
        assertThat(p.ci95().low()).isCloseTo(0.2, within(1e-15));
        assertThat(p.ci95().high()).isCloseTo(0.2, within(1e-15));
        assertThat(p.pairedTP()).isNull();
    }

    @Test
    void oneDifferenceHasAMeanOnly() {
        Statistics.Paired p = Statistics.paired(new double[] {0.3});

        assertThat(p.meanDelta()).isEqualTo(0.3);
        assertThat(p.ci95()).isEqualTo(Statistics.Interval.NONE);
        assertThat(p.pairedTP()).isNull();
        assertThat(Statistics.paired(new double[0]).meanDelta()).isNull();
    }

    @Test
    void benjaminiHochbergMatchesScipysFalseDiscoveryControl() {
        double[] adjusted = Statistics.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.2, 0.5, 0.001});

        assertThat(adjusted).containsExactly(new double[] {0.03, 0.06, 0.06, 0.24, 0.5, 0.006}, within(1e-12));
    }

    @Test
    void welchFromSummariesMatchesScipysTtestIndWithUnequalVariances() {
        // [1, 2, 4, 7] vs [3, 3.5, 5]: means 3.5 and 3.8333..., sample variances 7 and 1.0833...
        Double p = Statistics.welchP(4, 3.5, 7.0, 3, 11.5 / 3, 13.0 / 12);

        assertThat(p).isCloseTo(0.8295282825986225, within(1e-12));
    }

    @Test
    void welchNeedsTwoValuesPerSideAndSomeSpread() {
        assertThat(Statistics.welchP(1, 0.5, null, 3, 0.6, 0.01)).isNull();
        assertThat(Statistics.welchP(2, 0.7, 0.0, 2, 0.7, 0.0)).isNull();
    }

    @Test
    void theMeanIntervalIsStudentT() {
        // quality over the stats fixture: n 9, mean 0.6611..., stddev 0.2274...; scipy.stats.t.interval
        Statistics.Interval ci = Statistics.meanInterval(9, 0.6611111111111111, 0.22745573439926967);

        assertThat(ci.low()).isCloseTo(0.4862731564109057, within(1e-12));
        assertThat(ci.high()).isCloseTo(0.8359490658113164, within(1e-12));
        assertThat(Statistics.meanInterval(1, 0.5, null)).isEqualTo(Statistics.Interval.NONE);
        assertThat(Statistics.meanInterval(3, 0.5, 0.0)).isEqualTo(new Statistics.Interval(0.5, 0.5));
    }
}
