package dev.intake.it;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions behind the statistics and test-case ITs, one per index. The same data is in
 * {@code src/test/python/analysis_expected.py}, which computed the expected values with NumPy and SciPy.
 */
final class AnalysisFixture {
    static final int[] LATENCY_MS = {120, 340, 95, 410, 230, 180, 999, 505, 260, 75, 50};
    static final Double[] COST_USD = {0.012, 0.034, null, 0.051, 0.0205, 0.017, 0.099, 0.044, 0.026, 0.008, null};
    static final Long[] PROMPT = {100L, 250L, 80L, null, 310L, 150L, 900L, 420L, 205L, 60L, null};
    static final Long[] COMPLETION = {10L, 25L, 8L, 30L, null, 15L, 90L, 42L, 20L, 6L, null};
    static final Double[] QUALITY = {0.9, 0.4, 0.75, 0.6, 0.85, 0.3, 0.95, 0.5, 0.7, null, null};
    static final Boolean[] CORRECT = {true, false, true, true, true, false, true, false, true, true, null};
    static final String[] TEST_CASE = {"a", "a", "a", "b", "b", "c", "c", "c", "c", "d", null};
    static final boolean[] ERROR = {false, true, false, false, false, true, false, false, false, false, false};

    /** Start of the first session; relative to now, so a retention TTL never drops the data. */
    static final Instant T = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    private AnalysisFixture() {
    }

    /** Creates experiment "exp" with the fixture's sessions and an experiment "empty" without any. */
    static Http seed(TestServer server, String workspace) {
        server.awaitReady(Duration.ofSeconds(60));
        Http http = server.http();
        Experiments.create(http, workspace, "exp");
        Experiments.ingestAll(http, workspace, sessions("exp", T));
        Experiments.create(http, workspace, "empty");
        return http;
    }

    /** The fixture's trajectories in experiment {@code experiment}, session i starting at {@code t + i s}. */
    static List<Trajectories> sessions(String experiment, Instant t) {
        List<Trajectories> all = new ArrayList<>();
        for (int i = 0; i < LATENCY_MS.length; i++) {
            Instant start = t.plusSeconds(i);
            Trajectories s = Trajectories.aTrajectory("s-" + i, experiment, TEST_CASE[i]).userStep("question " + i, start)
                    .agentStep("answer", start, PROMPT[i], COMPLETION[i], null, COST_USD[i]);
            if (ERROR[i]) {
                s.toolStep(start, "call-" + i, "search", "failed", true);
            }
            s.verifier(start, start.plusMillis(LATENCY_MS[i]));
            if (QUALITY[i] != null) {
                s.reward("quality", QUALITY[i]);
            }
            if (CORRECT[i] != null) {
                s.reward("correct", CORRECT[i]);
            }
            all.add(s);
        }
        return all;
    }
}
