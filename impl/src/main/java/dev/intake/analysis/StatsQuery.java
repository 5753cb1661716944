package dev.intake.analysis;

import dev.intake.sessions.SessionQuery;
import dev.intake.store.Columns;
import dev.intake.store.RowReader;
import dev.intake.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Reads the statistics of an experiment's selected sessions: one aggregate row, its evaluators included. */
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

    /** The aggregate row; repetitions are null when there is no test case; evaluators sorted by name. */
    record Totals(long sessions, StatusCounts byStatus, Distribution latencyMs, Distribution costMicroUsd,
                  Distribution inputTokens, Distribution outputTokens, Distribution totalTokens, long testCases,
                  Long repetitionsMin, Long repetitionsMax, Double repetitionsMean, List<Evaluator> evaluators) {
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
                testCases == 0 ? null : rs.getDouble("repetitions_mean"), evaluators(rs));
    };

    /** The evaluator maps of stats.sql (name -> figure, one map per figure), as one record per name. */
    private static List<Evaluator> evaluators(ResultSet rs) throws SQLException {
        Map<String, Number> n = Columns.map(rs, "evaluator_n");
        Map<String, Double> mean = Columns.map(rs, "evaluator_mean");
        Map<String, Double> stddev = Columns.map(rs, "evaluator_stddev");
        Map<String, Double> min = Columns.map(rs, "evaluator_min");
        Map<String, Double> max = Columns.map(rs, "evaluator_max");
        Map<String, Number> isBoolean = Columns.map(rs, "evaluator_is_boolean");
        Map<String, Number> passes = Columns.map(rs, "evaluator_passes");
        List<Evaluator> out = new ArrayList<>();
        for (String name : new TreeSet<>(n.keySet())) {
            Number passed = passes.get(name);
            out.add(new Evaluator(name, n.get(name).longValue(), mean.get(name), finiteOrNull(stddev.get(name)),
                    min.get(name), max.get(name), isBoolean.get(name).intValue() == 1,
                    passed == null ? 0 : passed.longValue()));
        }
        return out;
    }

    private final Store store;

    StatsQuery(Store store) {
        this.store = store;
    }

    /** @param sessions the session list's selection (its key range and filters; the order is not used) */
    Totals totals(SessionQuery sessions) {
        return store.query(sessions.compose(StatsQuery.class, "stats.sql"), sessions.params(), TOTALS).get(0);
    }

    /** The engine's NaN (a sample statistic of one value) as null. */
    static Double finiteOrNull(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }
}
