package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentSessionsApi;
import dev.intake.sdk.api.ExperimentsApi;
import dev.intake.sdk.model.ExperimentSessionResponse;
import dev.intake.sdk.model.SpanStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What each value of a session row means: nulls vs zeros, several roots, deletions, score types. */
@ExtendWith(ContractChecked.class)
class SessionsSemanticsIT {
    static final TestServer SERVER = TestServer.shared();
    static final Instant T = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static Http http;
    static ExperimentSessionsApi sessions;

    @BeforeAll
    static void connect() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        sessions = new ExperimentSessionsApi(SERVER.sdk());
    }

    static List<ExperimentSessionResponse> list(String ws, String exp) throws ApiException {
        return sessions.listExperimentSessions(ws, exp, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null).getData();
    }

    @Test
    void metricsAreNullWhenNoSpanCarriesThemAndZeroWhenSpansCarryZero() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.aTrajectory("s-none", "exp", "t").userStep("q", T).agentStep("a", T, null, null, null, null));
        ingest(http, ws, Trajectories.aTrajectory("s-zero", "exp", "t").userStep("q", T.plusSeconds(1))
                .agentStep("a", T.plusSeconds(1), 0L, 0L, 0L, 0.0));

        List<ExperimentSessionResponse> rows = list(ws, "exp");

        ExperimentSessionResponse none = rows.get(0);
        assertThat(none.getSessionId()).isEqualTo("s-none");
        assertThat(none.getInputTokens()).isNull();
        assertThat(none.getOutputTokens()).isNull();
        assertThat(none.getCachedTokens()).isNull();
        assertThat(none.getCostTotalUsd()).isNull();
        assertThat(none.getEvaluatorScores()).isEmpty();
        ExperimentSessionResponse zero = rows.get(1);
        assertThat(zero.getInputTokens()).isZero();
        assertThat(zero.getOutputTokens()).isZero();
        assertThat(zero.getCachedTokens()).isZero();
        assertThat(zero.getCostTotalUsd()).isZero();
    }

    @Test
    void latencyAndEndAreNullWhenTheRootHasNoEnd() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.aTrajectory("s-open", "exp", null).userStep("q", null));

        ExperimentSessionResponse row = list(ws, "exp").get(0);

        assertThat(row.getEndedAt()).isNull();
        assertThat(row.getLatencyMs()).isNull();
        assertThat(row.getStartedAt()).isNotNull();
    }

    @Test
    void emptyInputAndTestCaseAreNull() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.aTrajectory("s-empty", "exp", "").agentStep("only the agent spoke", T, 1L, 1L, null, null));

        ExperimentSessionResponse row = list(ws, "exp").get(0);

        assertThat(row.getInput()).isNull();
        assertThat(row.getTestCaseId()).isNull();
    }

    @Test
    void aFailedToolMakesTheSessionStatusError() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.aTrajectory("s-err", "exp", null).toolStep(T, "c", "f", "boom", true));

        assertThat(list(ws, "exp").get(0).getStatus()).isEqualTo(SpanStatus.ERROR);
        assertThat(sessions.listExperimentSessions(ws, "exp", null, null, SpanStatus.ERROR, null, null, null, null, null, null, null, null, null, null, null, null, null, null).getData()).hasSize(1);
        assertThat(sessions.listExperimentSessions(ws, "exp", null, null, SpanStatus.SUCCESS, null, null, null, null, null, null, null, null, null, null, null, null, null, null).getData()).isEmpty();
    }

    @Test
    void booleanRewardsCountAsOneOrZeroAndTextRewardsAreIgnored() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.aTrajectory("s-types", "exp", null).userStep("q", T)
                .verifier(T, T.plusSeconds(1)).reward("passed", false).reward("solved", true).reward("note", "fine")
                .reward("score", 7));

        assertThat(list(ws, "exp").get(0).getEvaluatorScores())
                .isEqualTo(Map.of("passed", 0.0, "solved", 1.0, "score", 7.0));
    }

    @Test
    void scoresAreMeansOverAllOfTheSessionsResultsOfAName() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        Db db = new Db(SERVER);
        // A second evaluator (another producer) scored the same session before the trajectory arrived.
        db.execute("INSERT INTO evaluator_results (workspace, session_id, span_id, name, evaluator_result_id, data_type,"
                + " value, created_at, ingested_at) VALUES (?, 's-mean', 'other-eval', 'quality', 'r-x', 'NUMERIC', 0.2,"
                + " now64(6), now64(6)), (?, 's-mean', 'other-eval', 'passed', 'r-y', 'BOOLEAN', 1, now64(6), now64(6))", ws, ws);

        ingest(http, ws, Trajectories.aTrajectory("s-mean", "exp", null).userStep("q", T).verifier(T, T.plusSeconds(1))
                .reward("quality", 0.6).reward("passed", false));

        assertThat(list(ws, "exp").get(0).getEvaluatorScores()).isEqualTo(Map.of("quality", 0.4, "passed", 0.5));
    }

    @Test
    void aSessionWithSeveralRootsIsItsEarliestRootAndSumsAllItsSpans() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        Db db = new Db(SERVER);
        // Another producer's trace in the same session: an earlier root with its own test case and an LLM child.
        ForeignSpan.root(ws, "s-multi", "trace-2", "a-root", "exp").status("cancelled").testCase("tc-other")
                .input("earlier input").at(T.minusSeconds(60), T.minusSeconds(30)).insertInto(db);
        ForeignSpan.llm(ws, "s-multi", "trace-2", "a-llm", "a-root").at(T.minusSeconds(60), null)
                .number("llm.token_count.prompt", 5).number("cost.total", 10).insertInto(db);

        ingest(http, ws, Trajectories.upstreamShape("s-multi", "exp", "tc-atif", T, 1.0));

        List<ExperimentSessionResponse> rows = list(ws, "exp");
        assertThat(rows).hasSize(1);
        ExperimentSessionResponse row = rows.get(0);
        assertThat(row.getRootSpanId()).isEqualTo("a-root");
        assertThat(row.getTraceId()).isEqualTo("trace-2");
        assertThat(row.getStatus()).isEqualTo(SpanStatus.CANCELLED);
        assertThat(row.getInput()).isEqualTo("earlier input");
        assertThat(row.getTestCaseId()).isEqualTo("tc-other");
        assertThat(row.getLatencyMs()).isEqualTo(30_000.0);
        assertThat(row.getInputTokens()).as("sum over both traces").isEqualTo(105L);
        assertThat(row.getCostTotalUsd()).isEqualTo(0.05001);
    }

    @Test
    void rootsStartingTogetherResolveToTheSmallestRootSpanId() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        Db db = new Db(SERVER);
        ForeignSpan.root(ws, "s-tie", "t-b", "zzz-root", "exp").status("error").at(T, null).insertInto(db);
        ForeignSpan.root(ws, "s-tie", "t-a", "aaa-root", "exp").status("error").at(T, null).insertInto(db);

        ingest(http, ws, Trajectories.aTrajectory("s-tie", "exp", null).userStep("q", T));

        assertThat(list(ws, "exp").get(0).getRootSpanId()).isEqualTo("aaa-root");
    }

    @Test
    void aSessionMovedToAnotherExperimentLeavesTheFirst() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp-a");
        create(http, ws, "exp-b");
        ingest(http, ws, Trajectories.upstreamShape("s-moving", "exp-a", "c", T, 1.0));

        ingest(http, ws, Trajectories.upstreamShape("s-moving", "exp-b", "c", T, 1.0));

        assertThat(list(ws, "exp-a")).isEmpty();
        assertThat(list(ws, "exp-b")).extracting(ExperimentSessionResponse::getSessionId).containsExactly("s-moving");
    }

    @Test
    void aReIngestThatMovesTheStartReplacesTheRow() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.upstreamShape("s-move", "exp", "c", T, 1.0));

        ingest(http, ws, Trajectories.upstreamShape("s-move", "exp", "c", T.plusSeconds(30), 0.0));

        List<ExperimentSessionResponse> rows = list(ws, "exp");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getStartedAt().toInstant()).isEqualTo(T.plusSeconds(30));
        assertThat(rows.get(0).getEvaluatorScores()).isEqualTo(Map.of("reward", 0.0));
    }

    @Test
    void aDeletedExperimentsSessionsAreGoneAndARecreatedOneStartsEmpty() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        ingest(http, ws, Trajectories.upstreamShape("s-old", "exp", "c", T, 1.0));
        new ExperimentsApi(SERVER.sdk()).deleteExperiment(ws, "exp");

        assertThat(http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions").status()).isEqualTo(404);
        assertThat(http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif",
                Trajectories.upstreamShape("s-new", "exp", "c", T, 1.0).json()).status()).isEqualTo(422);

        create(http, ws, "exp");
        assertThat(list(ws, "exp")).isEmpty();
    }

    @Test
    void sessionsOfOtherWorkspacesAndExperimentsNeverMix() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        String other = Experiments.uniqueWorkspace();
        create(http, ws, "exp");
        create(http, ws, "exp-2");
        create(http, other, "exp");
        ingest(http, ws, Trajectories.upstreamShape("s-1", "exp", "c", T, 1.0));
        ingest(http, ws, Trajectories.upstreamShape("s-2", "exp-2", "c", T, 1.0));
        ingest(http, other, Trajectories.upstreamShape("s-1", "exp", "c", T, 0.0));

        assertThat(list(ws, "exp")).extracting(ExperimentSessionResponse::getSessionId).containsExactly("s-1");
        assertThat(list(ws, "exp").get(0).getEvaluatorScores()).isEqualTo(Map.of("reward", 1.0));
        assertThat(list(other, "exp").get(0).getEvaluatorScores()).isEqualTo(Map.of("reward", 0.0));
    }
}
