package dev.intake.sessions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.ExperimentSessionsApi;
import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.ExperimentSessionResponsesPage;
import dev.intake.api.model.SessionExportFormat;
import dev.intake.api.model.SpanStatus;
import dev.intake.experiments.Experiments;
import dev.intake.store.Store;
import dev.intake.web.ApiProblemException;
import dev.intake.web.Pages;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The row-level results API: one row per session of an experiment, filtered and paginated, or all of them streamed
 * as an export.
 */
public final class SessionsResource implements ExperimentSessionsApi {
    static final String SORT = "started_at,root_span_id";

    /** As the spec spells them (Jersey would write a media type object without the space after ';'). */
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv; charset=utf-8";

    private final SessionsQuery query;
    private final Experiments experiments;
    private final SessionExport export;

    /**
     * @param json          the API's JSON mapper (exports write rows exactly as the list does)
     * @param exportTimeout longest an export's statement may run
     */
    public SessionsResource(Store store, Experiments experiments, ObjectMapper json, Duration exportTimeout) {
        this.query = new SessionsQuery(store);
        this.experiments = experiments;
        this.export = new SessionExport(store, json, exportTimeout);
    }

    @Override
    public ExperimentSessionResponsesPage listExperimentSessions(String workspace, String name, Integer page,
                                                                 Integer pageSize, SpanStatus status, String testCaseId) {
        SessionFilter filter = new SessionFilter(status, testCaseId);
        long offset = Pages.offset(page, pageSize);
        SessionsQuery.Page found = query.page(workspace, name, filter, pageSize, offset);
        long total = found.total();
        if (found.rows().isEmpty()) {
            // No rows: an empty or filtered-out experiment, a page past the end, or no such experiment.
            requireExperiment(workspace, name);
            total = query.count(workspace, name, filter);
        }
        List<ExperimentSessionResponse> data = new ArrayList<>();
        for (SessionRow row : found.rows()) {
            data.add(SessionMapper.toResponse(workspace, name, row));
        }
        return new ExperimentSessionResponsesPage(data, Pages.pagination(page, pageSize, data.size(), total), SORT,
                new ExperimentSessionFilter(
                status == null ? null : ExperimentSessionFilter.StatusEnum.fromValue(status.toString()), testCaseId));
    }

    @Override
    public Response exportExperimentSessions(String workspace, String name, SpanStatus status, String testCaseId,
                                             SessionExportFormat format) {
        requireExperiment(workspace, name);
        SessionFilter filter = new SessionFilter(status, testCaseId);
        boolean csv = format == SessionExportFormat.CSV;
        // The statement starts when the body is written, so a HEAD request never runs it; a store failure before
        // the first byte is still answered as a 503 problem, one after it aborts the response (SessionExport.write).
        StreamingOutput body = out -> export.write(export.open(workspace, name, filter),
                csv ? SessionExport.Format.CSV : SessionExport.Format.NDJSON, workspace, name, out);
        String file = name + "-sessions." + (csv ? "csv" : "ndjson"); // names are [A-Za-z0-9._-]: nothing to escape
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, csv ? CSV : NDJSON)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    private void requireExperiment(String workspace, String name) {
        // Experiments live in the store too, so with the store down this is a 503, never a guessed 404.
        experiments.find(workspace, name).orElseThrow(
                () -> ApiProblemException.notFound("Experiment '" + workspace + "/" + name + "' not found."));
    }
}
