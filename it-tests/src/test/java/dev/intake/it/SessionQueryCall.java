package dev.intake.it;

import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentSessionsApi;
import dev.intake.sdk.model.ExperimentSessionResponsesPage;
import dev.intake.sdk.model.SessionMode;
import dev.intake.sdk.model.SpanStatus;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The session list's many optional parameters by name, sent through the generated SDK. */
final class SessionQueryCall {
    Integer page;
    Integer pageSize;
    SpanStatus status;
    String testCaseId;
    String sort;
    Double minLatencyMs;
    Double maxLatencyMs;
    Double minCostTotalUsd;
    Double maxCostTotalUsd;
    Long minTotalTokens;
    Long maxTotalTokens;
    OffsetDateTime startedAfter;
    OffsetDateTime startedBefore;
    List<String> score;
    String inputContains;
    SessionMode mode;
    String cursor;

    SessionQueryCall copy() {
        SessionQueryCall c = new SessionQueryCall();
        c.page = page;
        c.pageSize = pageSize;
        c.status = status;
        c.testCaseId = testCaseId;
        c.sort = sort;
        c.minLatencyMs = minLatencyMs;
        c.maxLatencyMs = maxLatencyMs;
        c.minCostTotalUsd = minCostTotalUsd;
        c.maxCostTotalUsd = maxCostTotalUsd;
        c.minTotalTokens = minTotalTokens;
        c.maxTotalTokens = maxTotalTokens;
        c.startedAfter = startedAfter;
        c.startedBefore = startedBefore;
        c.score = score == null ? null : new ArrayList<>(score);
        c.inputContains = inputContains;
        c.mode = mode;
        c.cursor = cursor;
        return c;
    }

    ExperimentSessionResponsesPage call(ExperimentSessionsApi api, String workspace, String experiment)
            throws ApiException {
        return api.listExperimentSessions(workspace, experiment, page, pageSize, status, testCaseId, sort,
                minLatencyMs, maxLatencyMs, minCostTotalUsd, maxCostTotalUsd, minTotalTokens, maxTotalTokens,
                startedAfter, startedBefore, score, inputContains, mode, cursor);
    }

    @Override
    public String toString() {
        return "sort=" + sort + " status=" + status + " test_case_id=" + testCaseId + " latency=[" + minLatencyMs + ","
                + maxLatencyMs + "] cost=[" + minCostTotalUsd + "," + maxCostTotalUsd + "] tokens=[" + minTotalTokens
                + "," + maxTotalTokens + "] started=[" + startedAfter + "," + startedBefore + "] score=" + score
                + " input_contains=" + inputContains;
    }
}
