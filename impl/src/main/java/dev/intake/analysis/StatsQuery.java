package dev.intake.analysis;

import dev.intake.store.Columns;
import dev.intake.store.RowReader;
import dev.intake.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads the statistics of an experiment's selected sessions: one aggregate row and one row per evaluator. */
final class StatsQuery {

    /** Counts per root-span status. */
    record StatusCounts(long success, long error, long cancelled, long unknown) {
        static StatusCounts read(ResultSet rs) throws SQLException {
            return new StatusCounts(rs.getLong("status_success"), rs.getLong("status_error"),
                    rs.getLong("status_cancelled"), rs.getLong("status_unknown"));
        }
    }

    /** One value's distribution, as the store computed it (cost in micro-USD); members are null when n = 0. */
    record Distribution(long n, Double sum, Double mean, Double min, Double p50, Double p90, Double p95, Double p99,
                        Double max) {
        static Distribution read(ResultSet rs, String prefix) throws SQLException {
            long n = rs.getLong(prefix + "_n");
            if (n == 0) {
                return new Distribution(0, null, null, null, null, null, null, null, null);
            }
            return new Distribution(n, rs.getDouble(prefix + "_sum"), rs.getDouble(prefix + "_mean"),
                    rs.getDouble(prefix + "_min"), rs.getDouble(prefix + "_p50"), rs.getDouble(prefix + "_p90"),
                    rs.getDouble(prefix + "_p95"), rs.getDouble(prefix + "_p99"), rs.getDouble(prefix + "_max"));
        }
    }

    /** The aggregate row; repetitions are null when there is no test case. */
    record Totals(long sessions, StatusCounts byStatus, Distribution latencyMs, Distribution costMicroUsd,
                  Distribution inputTokens, Distribution outputTokens, Distribution totalTokens, long testCases,
                  Long repetitionsMin, Long repetitionsMax, Double repetitionsMean) {
    }

    /** One evaluator over the selected sessions that carry it; stddev is null for a single session. */
    record Evaluator(String name, long n, double mean, Double stddev, double min, double max, boolean isBoolean,
                     long passes) {
    }

    private static final RowReader<Totals> TOTALS = rs -> {
        long testCases = rs.getLong("test_cases_count");
        return new Totals(rs.getLong("sessions"), StatusCounts.read(rs), Distribution.read(rs, "latency"),
                Distribution.read(rs, "cost"), Distribution.read(rs, "input"), Distribution.read(rs, "output"),
                Distribution.read(rs, "total"), testCases,
                testCases == 0 ? null : rs.getLong("repetitions_min"),
                testCases == 0 ? null : rs.getLong("repetitions_max"),
                testCases == 0 ? null : rs.getDouble("repetitions_mean"));
    };

    private static final RowReader<Evaluator> EVALUATOR = rs -> new Evaluator(rs.getString("name"), rs.getLong("n"),
            rs.getDouble("mean"), finiteOrNull(Columns.nullableDouble(rs, "stddev")), rs.getDouble("min"),
            rs.getDouble("max"), rs.getBoolean("is_boolean"), rs.getLong("passes"));

    private final Store store;

    StatsQuery(Store store) {
        this.store = store;
    }

    /** @param sessions the session list's selection (its key range and filters; the order is not used) */
    Totals totals(SessionSelections.Selected sessions) {
        return store.query(sessions.compose(StatsQuery.class, "stats.sql"), sessions.params(), TOTALS).get(0);
    }

    List<Evaluator> evaluators(SessionSelections.Selected sessions) {
        return store.query(sessions.compose(StatsQuery.class, "stats-evaluators.sql"), sessions.params(), EVALUATOR);
    }

    /** The engine's NaN (a sample statistic of one value) as null. */
    static Double finiteOrNull(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }
}
