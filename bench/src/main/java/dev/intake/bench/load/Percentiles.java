package dev.intake.bench.load;

import java.util.List;

/** Nearest-rank percentiles: the value at rank ceil(p/100 * n) of the sorted sample, no interpolation. */
public final class Percentiles {
    private Percentiles() {
    }

    public static long nearestRank(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
