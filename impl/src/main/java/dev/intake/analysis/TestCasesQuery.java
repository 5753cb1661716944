package dev.intake.analysis;

import dev.intake.store.Columns;
import dev.intake.store.Params;
import dev.intake.store.RowReader;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads one page of an experiment's per-test-case rollup. */
final class TestCasesQuery {
    private static final Sql PAGE = Sql.load(TestCasesQuery.class, "test-cases.sql");
    private static final String EVALUATOR_PREFIX = "evaluators.";
    private static final String EVALUATOR_SUFFIX = ".mean";
    /** Sort keys of the API → columns of test-cases.sql; the only text that ever reaches ORDER BY. */
    private static final Map<String, String> SORT_COLUMNS = Map.of(
            "test_case_id", "test_case_id",
            "sessions", "sessions",
            "latency_ms_mean", "latency_ms_mean",
            "cost_total_usd_mean", "cost_micro_usd_mean",
            "total_tokens_mean", "total_tokens_mean");

    /** One evaluator of one test case; stddev is null for a single session, passRate for a non-BOOLEAN one. */
    record Evaluator(long n, double mean, Double stddev, Double passRate) {
    }

    /** One test case as the store rolled it up (cost in micro-USD). */
    record TestCase(String testCaseId, long sessions, StatsQuery.StatusCounts byStatus, Double latencyMsMean,
                    Double costMicroUsdMean, Double totalTokensMean, Map<String, Evaluator> evaluators) {
    }

    /** A page of test cases and how many match the filters. */
    record Page(List<TestCase> rows, long total) {
    }

    /** A validated sort: the column (or the evaluator whose mean is sorted on) and the direction. */
    record Sort(String column, String evaluator, boolean descending) {
        /** Parses a key the spec's pattern already admitted, e.g. {@code -evaluators.rouge.l.mean}. */
        static Sort parse(String key) {
            boolean descending = key.startsWith("-");
            String name = descending ? key.substring(1) : key;
            if (name.startsWith(EVALUATOR_PREFIX) && name.endsWith(EVALUATOR_SUFFIX)
                    && name.length() > EVALUATOR_PREFIX.length() + EVALUATOR_SUFFIX.length()) {
                return new Sort("sort_evaluator_mean",
                        name.substring(EVALUATOR_PREFIX.length(), name.length() - EVALUATOR_SUFFIX.length()), descending);
            }
            String column = SORT_COLUMNS.get(name);
            if (column == null) {
                throw new IllegalArgumentException("Unknown sort key " + key);
            }
            return new Sort(column, "", descending);
        }

        String orderBy() {
            return column + (descending ? " DESC" : " ASC") + " NULLS LAST, test_case_id ASC";
        }
    }

    private static final RowReader<TestCase> ROW = rs -> {
        Map<String, Number> n = Columns.map(rs, "evaluator_n");
        Map<String, Double> mean = Columns.map(rs, "evaluator_mean");
        Map<String, Double> stddev = Columns.map(rs, "evaluator_stddev");
        Map<String, Double> passRate = Columns.map(rs, "evaluator_pass_rate");
        Map<String, Evaluator> evaluators = new HashMap<>();
        n.forEach((name, count) -> evaluators.put(name, new Evaluator(count.longValue(), mean.get(name),
                StatsQuery.finiteOrNull(stddev.get(name)), passRate.get(name))));
        return new TestCase(rs.getString("test_case_id"), rs.getLong("sessions"), StatsQuery.StatusCounts.read(rs),
                Columns.nullableDouble(rs, "latency_ms_mean"), Columns.nullableDouble(rs, "cost_micro_usd_mean"),
                Columns.nullableDouble(rs, "total_tokens_mean"), evaluators);
    };

    private final Store store;

    TestCasesQuery(Store store) {
        this.store = store;
    }

    /**
     * @param status     a status name, or null for any
     * @param minSessions at least 1
     */
    Page page(String workspace, String experiment, String status, int minSessions, Sort sort, int limit, long offset) {
        Sql sql = PAGE.withFragment("/*ORDER BY*/", sort.orderBy());
        Params params = Params.of("workspace", workspace).with("experiment_name", experiment).with("status", status)
                .with("min_sessions", minSessions).with("sort_evaluator", sort.evaluator())
                .with("limit", limit).with("offset", offset);
        long[] total = {0};
        List<TestCase> rows = store.query(sql, params, rs -> {
            total[0] = rs.getLong("total");
            return ROW.read(rs);
        });
        return new Page(rows, total[0]);
    }
}
