package dev.intake.sessions;

import dev.intake.store.Columns;
import dev.intake.store.Params;
import dev.intake.store.RowReader;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import java.util.List;

/** Reads an experiment's sessions from the session index. */
public final class SessionsQuery {
    private static final Sql PAGE = Sql.load(SessionsQuery.class, "page.sql");
    private static final Sql COUNT = Sql.load(SessionsQuery.class, "count.sql");

    /** A page of rows and the number of rows matching the filters (0 when the page is empty: see page.sql). */
    record Page(List<SessionRow> rows, long total) {
    }

    static final RowReader<SessionRow> ROW = rs -> new SessionRow(
            rs.getString("session_id"), rs.getString("test_case_id"), rs.getString("trace_id"),
            rs.getString("root_span_id"), Columns.instant(rs, "started_at"), Columns.instant(rs, "ended_at"),
            Columns.nullableDouble(rs, "latency_ms"), rs.getString("status"), rs.getString("input"),
            Columns.nullableLong(rs, "input_tokens"), Columns.nullableLong(rs, "output_tokens"),
            Columns.nullableLong(rs, "cached_tokens"), Columns.nullableLong(rs, "cost_micro_usd"),
            Columns.map(rs, "evaluator_scores"));

    private final Store store;

    public SessionsQuery(Store store) {
        this.store = store;
    }

    long count(String workspace, String experiment, SessionFilter filter) {
        return store.query(COUNT, params(workspace, experiment, filter), rs -> rs.getLong("total")).get(0);
    }

    Page page(String workspace, String experiment, SessionFilter filter, int limit, long offset) {
        long[] total = {0};
        List<SessionRow> rows = store.query(PAGE, params(workspace, experiment, filter).with("limit", limit)
                .with("offset", offset), rs -> {
                    total[0] = rs.getLong("total");
                    return ROW.read(rs);
                });
        return new Page(rows, total[0]);
    }

    static Params params(String workspace, String experiment, SessionFilter filter) {
        return Params.of("workspace", workspace).with("experiment_name", experiment)
                .with("status", filter.status() == null ? null : filter.status().toString())
                .with("test_case_id", filter.testCaseId());
    }
}
