package dev.intake.sessions;

import dev.intake.store.Columns;
import dev.intake.store.Params;
import dev.intake.store.RowReader;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import java.util.List;
import java.util.UUID;

/** Reads an experiment's sessions from the session index. */
public final class SessionsQuery {
    private static final Sql PAGE = Sql.load(SessionsQuery.class, "page.sql");
    private static final Sql COUNT = Sql.load(SessionsQuery.class, "count.sql");

    private static final RowReader<SessionRow> ROW = rs -> new SessionRow(
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

    long count(String workspace, UUID experimentId, SessionFilter filter) {
        return store.query(COUNT, params(workspace, experimentId, filter), rs -> rs.getLong("total")).get(0);
    }

    List<SessionRow> page(String workspace, UUID experimentId, SessionFilter filter, int limit, long offset) {
        return store.query(PAGE, params(workspace, experimentId, filter).with("limit", limit).with("offset", offset), ROW);
    }

    private static Params params(String workspace, UUID experimentId, SessionFilter filter) {
        return Params.of("workspace", workspace).with("experiment_id", experimentId)
                .with("status", filter.status() == null ? null : filter.status().toString())
                .with("test_case_id", filter.testCaseId());
    }
}
