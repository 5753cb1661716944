package dev.intake.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What ingest needs from the session list: make the sessions it has just written visible in the list. */
public interface SessionRows {
    /** Recomputes these sessions' rows from everything the store holds of them, once all their rows are written. */
    void refresh(String workspace, List<String> sessionIds);

    /**
     * Publishes rows computed by the writer from the generation it has just written, for sessions the store may
     * hold nothing else of: all of them when that is so for each (checked by the store in the same statement as
     * the write), else none.
     *
     * @return whether they were published; if not, every one of them needs {@link #refresh}
     */
    boolean publishFirst(String workspace, Instant generation, List<FirstRow> rows);

    /**
     * A session's list row as {@link #refresh} would compute it from one generation's rows alone: its experiment
     * and root (the root's times, status, texts and test case), the sums of its spans' metrics (null when no span
     * carries the metric) and the mean of each evaluator's scored results, with the names whose results are all
     * BOOLEAN.
     */
    record FirstRow(String sessionId, String experimentName, Instant startedAt, String rootSpanId, String testCaseId,
                    String status, String input, String output, Instant endedAt, Long inputTokens,
                    Long outputTokens, Long cachedTokens, Long costMicroUsd, Map<String, Double> evaluatorScores,
                    List<String> booleanEvaluators) {
    }
}
