package dev.intake.analysis;

import dev.intake.store.Columns;
import dev.intake.store.Params;
import dev.intake.store.RowReader;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads, per test case, the summaries of both sides of a comparison (see compare.sql). */
final class ComparisonQuery {
    private static final Sql COMPARE = Sql.load(ComparisonQuery.class, "compare.sql");

    /** One side's scores of one test case; mean and variance are null when n is 0, variance also when n is 1. */
    record Side(long n, Double mean, Double variance) {
        static Side read(ResultSet rs, String prefix) throws SQLException {
            long n = rs.getLong(prefix + "_n");
            return new Side(n, n == 0 ? null : rs.getDouble(prefix + "_mean"),
                    n < 2 ? null : StatsQuery.finiteOrNull(rs.getDouble(prefix + "_variance")));
        }
    }

    /** Both sides of one test case, with the mean latency and cost (micro-USD) of all its sessions per side. */
    record TestCase(String testCaseId, Side baseline, Side candidate, Double baselineLatencyMs,
                    Double candidateLatencyMs, Double baselineCostMicroUsd, Double candidateCostMicroUsd) {
    }

    private static final RowReader<TestCase> ROW = rs -> new TestCase(rs.getString("test_case_id"),
            Side.read(rs, "baseline"), Side.read(rs, "candidate"),
            Columns.nullableDouble(rs, "baseline_latency_ms"), Columns.nullableDouble(rs, "candidate_latency_ms"),
            Columns.nullableDouble(rs, "baseline_cost_micro_usd"), Columns.nullableDouble(rs, "candidate_cost_micro_usd"));

    private final Store store;

    ComparisonQuery(Store store) {
        this.store = store;
    }

    List<TestCase> testCases(String workspace, String baseline, String candidate, String evaluator) {
        return store.query(COMPARE, Params.of("workspace", workspace).with("baseline", baseline)
                .with("candidate", candidate).with("evaluator", evaluator), ROW);
    }
}
