package dev.intake.sessions;

import dev.intake.api.ExperimentSessionsApi;
import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.ExperimentSessionResponsesPage;
import dev.intake.api.model.SpanStatus;
import dev.intake.experiments.Experiments;
import dev.intake.web.ApiProblemException;
import dev.intake.web.Pages;
import java.util.ArrayList;
import java.util.List;

/** The row-level results API: one row per session of an experiment, filtered and paginated. */
public final class SessionsResource implements ExperimentSessionsApi {
    static final String SORT = "started_at,root_span_id";

    private final SessionsQuery query;
    private final Experiments experiments;

    public SessionsResource(SessionsQuery query, Experiments experiments) {
        this.query = query;
        this.experiments = experiments;
    }

    @Override
    public ExperimentSessionResponsesPage listExperimentSessions(String workspace, String name, Integer page,
                                                                 Integer pageSize, SpanStatus status, String testCaseId) {
        SessionFilter filter = new SessionFilter(status, testCaseId);
        long offset = Pages.offset(page, pageSize);
        SessionsQuery.Page found = query.page(workspace, name, filter, pageSize, offset);
        long total = found.total();
        if (found.rows().isEmpty()) {
            // No rows: an empty or filtered-out experiment, a page past the end, or no such experiment. Experiments
            // live in the store too, so with the store down this is a 503, never a guessed 404.
            experiments.find(workspace, name).orElseThrow(
                    () -> ApiProblemException.notFound("Experiment '" + workspace + "/" + name + "' not found."));
            total = query.count(workspace, name, filter);
        }
        List<ExperimentSessionResponse> data = new ArrayList<>();
        for (SessionRow row : found.rows()) {
            data.add(SessionMapper.toResponse(workspace, name, row));
        }
        return new ExperimentSessionResponsesPage(data, Pages.pagination(page, pageSize, data.size(), total), SORT,
                filter.toResponse());
    }
}
