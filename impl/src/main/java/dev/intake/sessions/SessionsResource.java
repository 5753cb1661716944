package dev.intake.sessions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.ExperimentSessionsApi;
import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.ExperimentSessionResponsesPage;
import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.PaginationData;
import dev.intake.api.model.SessionExportFormat;
import dev.intake.api.model.SessionMode;
import dev.intake.api.model.SessionPagination;
import dev.intake.api.model.SpanStatus;
import dev.intake.store.Store;
import dev.intake.web.ApiProblemException;
import dev.intake.web.ConditionalGets;
import dev.intake.web.Pages;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The row-level results API: one row per session of an experiment, filtered, sorted and paginated, or all of them
 * streamed as an export.
 */
final class SessionsResource implements ExperimentSessionsApi {
    /** As the spec spells them (Jersey would write a media type object without the space after ';'). */
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv; charset=utf-8";

    private final SessionsQuery query;
    private final KnownExperiments experiments;
    private final SessionCursor.Codec cursors;
    private final SessionExport export;

    /**
     * @param json          the API's JSON mapper (exports write rows exactly as the list does)
     * @param exportTimeout longest an export's statement may run
     * @param cursorSecret  the key that signs cursors; empty: a random key, so cursors end with this process
     * @param preCounted    whether totals may come from the counts kept at ingest (see {@link SessionsQuery})
     */
    SessionsResource(Store store, KnownExperiments experiments, ObjectMapper json, Duration exportTimeout,
                     Optional<String> cursorSecret, boolean preCounted) {
        this.query = new SessionsQuery(store, preCounted);
        this.experiments = experiments;
        this.export = new SessionExport(store, json, exportTimeout);
        this.cursors = cursorSecret.map(s -> new SessionCursor.Codec(s.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(SessionCursor.Codec::random);
    }

    @Override
    public ExperimentSessionResponsesPage listExperimentSessions(String workspace, String name, Integer page,
            Integer pageSize, SpanStatus status, String testCaseId, String sort, Double minLatencyMs,
            Double maxLatencyMs, Double minCostTotalUsd, Double maxCostTotalUsd, Long minTotalTokens,
            Long maxTotalTokens, OffsetDateTime startedAfter, OffsetDateTime startedBefore, List<String> score,
            String inputContains, SessionMode mode, String cursor) {
        SessionQuery q = SessionQuery.fromParameters(workspace, name, status, testCaseId, sort, minLatencyMs,
                maxLatencyMs, minCostTotalUsd, maxCostTotalUsd, minTotalTokens, maxTotalTokens, startedAfter,
                startedBefore, score, inputContains);
        SessionMode textMode = mode == null ? SessionMode.DETAILED : mode;
        SessionCursor after = cursor == null ? null : cursors.decode(cursor, q);
        long returnedBefore = after == null ? Pages.offset(page, pageSize) : after.returned();
        SessionsQuery.Page found = query.page(q, textMode, pageSize, after == null ? returnedBefore : 0, after);
        long total = found.total();
        if (found.version() != null) {
            ConditionalGets.answeredAt(found.version());
        }
        if (found.rows().isEmpty()) {
            // No rows: an empty or filtered-out experiment, a page past the end, or no such experiment.
            requireExperiment(workspace, name);
            total = query.count(q);
        }
        List<ExperimentSessionResponse> data = new ArrayList<>();
        for (SessionRow row : found.rows()) {
            data.add(SessionMapper.toResponse(workspace, name, row));
        }
        long returned = returnedBefore + data.size();
        String next = null;
        if (data.size() == pageSize && returned < total) {
            // a walk's bound is fixed by its first page; later pages pass it on
            SessionCursor nextCursor = SessionCursor.after(found.rows().get(data.size() - 1), q.sort(),
                    after == null ? found.readAt() : after.snapshot(), returned);
            next = cursors.encode(nextCursor, q);
        }
        int pageNumber = after == null ? page : (int) Math.min(Integer.MAX_VALUE, returnedBefore / pageSize + 1);
        PaginationData p = Pages.pagination(pageNumber, pageSize, data.size(), total);
        SessionPagination pagination = new SessionPagination(p.getPage(), p.getPageSize(), p.getCurrentPageSize(),
                p.getTotalPages(), p.getTotalResults(), next);
        return new ExperimentSessionResponsesPage(data, pagination, q.sort().echo(), q.filter().echo(), textMode);
    }

    @Override
    public Response exportExperimentSessions(String workspace, String name, SpanStatus status, String testCaseId,
            String sort, Double minLatencyMs, Double maxLatencyMs, Double minCostTotalUsd, Double maxCostTotalUsd,
            Long minTotalTokens, Long maxTotalTokens, OffsetDateTime startedAfter, OffsetDateTime startedBefore,
            List<String> score, String inputContains, SessionMode mode, SessionExportFormat format) {
        SessionQuery q = SessionQuery.fromParameters(workspace, name, status, testCaseId, sort, minLatencyMs,
                maxLatencyMs, minCostTotalUsd, maxCostTotalUsd, minTotalTokens, maxTotalTokens, startedAfter,
                startedBefore, score, inputContains);
        SessionMode textMode = mode == null ? SessionMode.DETAILED : mode;
        requireExperiment(workspace, name);
        boolean csv = format == SessionExportFormat.CSV;
        // The statement starts when the body is written, so a HEAD request never runs it; a store failure before
        // the first byte is still answered as a 503 problem, one after it aborts the response (SessionExport.write).
        SessionExport.Format exportFormat = csv ? SessionExport.Format.CSV : SessionExport.Format.NDJSON;
        StreamingOutput body = out -> export.write(export.open(q, textMode, exportFormat), exportFormat, workspace,
                name, out);
        String file = name + "-sessions." + (csv ? "csv" : "ndjson"); // names are [A-Za-z0-9._-]: nothing to escape
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, csv ? CSV : NDJSON)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    private void requireExperiment(String workspace, String name) {
        // Experiments live in the store too, so with the store down this is a 503, never a guessed 404.
        if (!experiments.exists(workspace, name)) {
            throw ApiProblemException.notFound(ProblemCode.EXPERIMENT_NOT_FOUND,
                    "Experiment '" + workspace + "/" + name + "' not found.");
        }
    }
}
