package dev.intake.sessions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.store.Params;
import dev.intake.store.Store;
import dev.intake.web.ConditionalGets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The session list's one door: its resource (list and export), and what other features ask of it through the
 * composition root: refresh the rows of sessions just ingested, retire an experiment's sessions, and the SQL parts
 * that select the sessions the list would return (for analysis).
 */
public final class SessionsFeature {
    private final SessionIndex index;
    private final SessionsResource resource;
    private final ExperimentVersions versions;

    /**
     * @param json          the API's JSON mapper (exports write rows exactly as the list does)
     * @param exportTimeout longest an export's statement may run
     * @param cursorSecret  the key that signs cursors; empty: a random key, so cursors end with this process
     * @param preCounted    whether every change of the index is a write (no retention TTL), so totals may come
     *                      from the counts kept at ingest
     */
    public SessionsFeature(Store store, KnownExperiments experiments, ObjectMapper json, Duration exportTimeout,
                           Optional<String> cursorSecret, boolean preCounted) {
        this.index = new SessionIndex(store, json);
        this.resource = new SessionsResource(store, experiments, json, exportTimeout, cursorSecret, preCounted);
        this.versions = new ExperimentVersions(store);
    }

    /** The versions behind ETags of every GET that reads the store (experiment_counters' write counts). */
    public ConditionalGets.Versions versions() {
        return versions;
    }

    public Object resource() {
        return resource;
    }

    /** Recomputes the rows of sessions just ingested (see refresh.sql); a session becomes visible only then. */
    public void refresh(String workspace, List<String> sessionIds) {
        index.refresh(workspace, sessionIds);
    }

    /**
     * Publishes the rows a writer computed for sessions it has just written for the first time (see
     * publish-new.sql): all of them when that generation is all the store holds of each session, else none.
     *
     * @return whether they were published; if not, every one needs {@link #refresh}
     */
    public boolean publishFirst(String workspace, Instant generation, List<FirstRow> rows) {
        return index.publishFirst(workspace, generation, rows);
    }

    /**
     * A session's index row as computed by its writer: the values refresh.sql would compute from the rows it
     * wrote (its earliest root's fields, the sums of its spans' metrics, the means of its scored results).
     */
    public record FirstRow(String sessionId, String experimentName, Instant startedAt, String rootSpanId,
                           String testCaseId, String status, String input, String output, Instant endedAt,
                           Long inputTokens, Long outputTokens, Long cachedTokens, Long costMicroUsd,
                           Map<String, Double> evaluatorScores, List<String> booleanEvaluators) {
    }

    /** Removes every session of an experiment that is being deleted. */
    public void retireExperiment(String workspace, String experimentName) {
        index.retireExperiment(workspace, experimentName);
    }

    /**
     * The sessions of an experiment that the list would return with these filters, parsed exactly as the list
     * parses them (the same 400s), as SQL parts to compose into another statement (see {@code SessionQuery}).
     */
    public Selection select(String workspace, String experimentName, ExperimentSessionFilter filters) {
        SessionQuery q = SessionQuery.fromParameters(workspace, experimentName,
                filters.getStatus(),
                filters.getTestCaseId(), null, filters.getMinLatencyMs(), filters.getMaxLatencyMs(),
                filters.getMinCostTotalUsd(), filters.getMaxCostTotalUsd(), filters.getMinTotalTokens(),
                filters.getMaxTotalTokens(), filters.getStartedAfter(), filters.getStartedBefore(),
                filters.getScore(), filters.getInputContains());
        return new Selection(q.parts(), q.params(), q.filter().echo());
    }

    /**
     * A selection of sessions: the text of each marker comment a template may hold, the values of their
     * placeholders, and the filters as understood (for the answer's echo).
     */
    public record Selection(Map<String, String> sqlParts, Params params, ExperimentSessionFilter filters) {
    }
}
