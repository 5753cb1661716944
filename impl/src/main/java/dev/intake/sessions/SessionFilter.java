package dev.intake.sessions;

import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.api.model.SpanStatus;
import dev.intake.store.Params;
import dev.intake.store.Sql;

/**
 * The list's filters; null means "no filter". Every statement that must describe exactly the sessions the list
 * returns (the list itself, the experiment statistics) includes the one predicate of {@code filters.sql} where it
 * says {@value #MARKER}, and binds it with {@link #bind}.
 */
public record SessionFilter(SpanStatus status, String testCaseId) {
    /** Where a statement over {@code experiment_sessions} rows takes the list's filter predicate. */
    public static final String MARKER = "/*SESSION FILTERS*/";
    private static final Sql PREDICATE = Sql.load(SessionFilter.class, "filters.sql");

    /** The statement with the list's filter predicate in place of every {@value #MARKER}. */
    public static Sql applyTo(Sql statement) {
        return statement.including(MARKER, PREDICATE);
    }

    /** Binds the predicate's placeholders to these filters. */
    public Params bind(Params params) {
        return params.with("status", status == null ? null : status.toString()).with("test_case_id", testCaseId);
    }

    /** The filters as the list and the statistics echo them. */
    public ExperimentSessionFilter toResponse() {
        return new ExperimentSessionFilter(
                status == null ? null : ExperimentSessionFilter.StatusEnum.fromValue(status.toString()), testCaseId);
    }
}
