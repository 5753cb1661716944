package dev.intake.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.SqlValues;
import dev.intake.store.Store;
import dev.intake.store.Versions;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the session index that the list reads: recomputes the rows of the given sessions from their current spans
 * and results (see refresh.sql), or publishes the rows a writer computed for sessions it wrote for the first time
 * (see publish-new.sql). Ingest calls it last, so a session becomes visible only when complete.
 */
final class SessionIndex {
    private static final Map<String, String> INDEX_ROW = Map.of("/*INSERT_INDEX_ROWS*/",
            Sql.fragments(SessionIndex.class, "index-row.sql").get("insert_index_rows"));
    private static final Sql REFRESH = Sql.compose(SessionIndex.class, "refresh.sql", INDEX_ROW);
    private static final Sql PUBLISH_NEW = Sql.compose(SessionIndex.class, "publish-new.sql", INDEX_ROW);
    private static final Sql RETIRE_EXPERIMENT = Sql.load(SessionIndex.class, "retire-experiment.sql");

    private final Store store;
    private final ObjectMapper json;

    SessionIndex(Store store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /**
     * Publishes the rows of sessions whose just-written generation is, as far as the writer knows, all the store
     * holds of them; the store's guard (publish-new.sql) checks that in the same statement and writes every row or
     * none.
     *
     * @return whether the rows were published; if not, every one of these sessions needs {@link #refresh}
     */
    boolean publishFirst(String workspace, Instant generation, List<SessionsFeature.FirstRow> rows) {
        if (rows.isEmpty()) {
            return true;
        }
        StringBuilder lines = new StringBuilder();
        for (SessionsFeature.FirstRow r : rows) {
            lines.append(line(r)).append('\n');
        }
        return store.executeUnlessRefused(PUBLISH_NEW, Params.of("workspace", workspace)
                .with("generation", generation).with("candidates", lines.toString())
                .with("session_ids", rows.stream().map(SessionsFeature.FirstRow::sessionId).toList()));
    }

    private String line(SessionsFeature.FirstRow r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("session_id", r.sessionId());
        row.put("experiment_name", r.experimentName());
        row.put("started_at", SqlValues.dateTime64(r.startedAt()));
        row.put("root_span_id", r.rootSpanId());
        row.put("test_case_id", r.testCaseId());
        row.put("status", r.status());
        row.put("input", r.input());
        row.put("output", r.output());
        row.put("ended_at", r.endedAt() == null ? null : SqlValues.dateTime64(r.endedAt()));
        row.put("input_tokens", r.inputTokens());
        row.put("output_tokens", r.outputTokens());
        row.put("cached_tokens", r.cachedTokens());
        row.put("cost_micro_usd", r.costMicroUsd());
        row.put("evaluator_scores", r.evaluatorScores());
        row.put("boolean_evaluators", r.booleanEvaluators());
        try {
            return json.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Recomputes the rows of sessions just ingested, each from its latest complete generation and in the experiment
     * its trajectory names (see refresh.sql).
     */
    public void refresh(String workspace, List<String> sessionIds) {
        store.execute(REFRESH, Params.of("workspace", workspace).with("session_ids", sessionIds));
    }

    /** Removes every session of an experiment that is being deleted from the index. */
    public void retireExperiment(String workspace, String experimentName) {
        store.execute(RETIRE_EXPERIMENT, Params.of("workspace", workspace).with("experiment_name", experimentName)
                .with("version", Versions.next()));
    }
}
