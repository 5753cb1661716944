package dev.intake.analysis;

import dev.intake.api.ExperimentAnalysisApi;
import dev.intake.api.model.ComparisonSort;
import dev.intake.api.model.ComparisonVerdict;
import dev.intake.api.model.ExperimentComparison;
import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.api.model.ExperimentStats;
import dev.intake.api.model.ExperimentTestCase;
import dev.intake.api.model.ExperimentTestCaseFilter;
import dev.intake.api.model.ExperimentTestCasesPage;
import dev.intake.api.model.SpanStatus;
import dev.intake.store.Store;
import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.ProblemFieldLocation;
import dev.intake.web.ApiProblemException;
import dev.intake.web.Pages;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Analysis of an experiment's sessions: statistics over the session list's selection, a rollup per test case,
 * and a comparison with a baseline experiment. Aggregation runs in the store; this class checks the input,
 * tells "empty" from "unknown", and pages.
 */
final class AnalysisResource implements ExperimentAnalysisApi {
    private final StatsQuery stats;
    private final TestCasesQuery testCases;
    private final ComparisonQuery comparisons;
    private final KnownExperiments experiments;
    private final SessionSelections selections;

    AnalysisResource(Store store, KnownExperiments experiments, SessionSelections selections) {
        this.selections = selections;
        this.stats = new StatsQuery(store);
        this.testCases = new TestCasesQuery(store);
        this.comparisons = new ComparisonQuery(store);
        this.experiments = experiments;
    }

    @Override
    public ExperimentStats getExperimentStats(String workspace, String name, SpanStatus status, String testCaseId,
                                              Double minLatencyMs, Double maxLatencyMs, Double minCostTotalUsd,
                                              Double maxCostTotalUsd, Long minTotalTokens, Long maxTotalTokens,
                                              OffsetDateTime startedAfter, OffsetDateTime startedBefore,
                                              List<String> score, String inputContains) {
        // the list's own parsing and SQL parts: the same filters select the same sessions, with the same 400s
        SessionSelections.Selected sessions = selections.select(workspace, name, new ExperimentSessionFilter(status,
                testCaseId, minLatencyMs, maxLatencyMs, minCostTotalUsd, maxCostTotalUsd, minTotalTokens,
                maxTotalTokens, startedAfter, startedBefore, score, inputContains));
        StatsQuery.Totals totals = stats.totals(sessions);
        if (totals.sessions() == 0) {
            requireExperiment(workspace, name, "Experiment");
        }
        List<StatsQuery.Evaluator> evaluators = totals.sessions() == 0 ? List.of() : stats.evaluators(sessions);
        return AnalysisMapper.stats(totals, evaluators, sessions.filters());
    }

    @Override
    public ExperimentTestCasesPage listExperimentTestCases(String workspace, String name, Integer page,
                                                           Integer pageSize, String sort, SpanStatus status,
                                                           Integer minSessions) {
        TestCasesQuery.Sort order = TestCasesQuery.Sort.parse(sort);
        String statusName = status == null ? null : status.toString();
        int atLeast = minSessions == null ? 1 : minSessions;
        TestCasesQuery.Page found = testCases.page(workspace, name, statusName, atLeast, order, pageSize,
                Pages.offset(page, pageSize));
        long total = found.total();
        if (found.rows().isEmpty()) {
            // an unknown experiment, or a page past the end, whose total the first page tells
            requireExperiment(workspace, name, "Experiment");
            total = page == 1 ? 0 : testCases.page(workspace, name, statusName, atLeast, order, 1, 0).total();
        }
        List<ExperimentTestCase> data = found.rows().stream().map(AnalysisMapper::testCase).toList();
        return new ExperimentTestCasesPage(data, Pages.pagination(page, pageSize, data.size(), total), sort,
                new ExperimentTestCaseFilter(status, minSessions));
    }

    @Override
    public ExperimentComparison compareExperiments(String workspace, String name, String baseline, String evaluator,
                                                   Double alpha, Double minDelta, Integer page, Integer pageSize,
                                                   ComparisonSort sort, ComparisonVerdict verdict) {
        if (baseline.equals(name)) {
            throw ApiProblemException.badRequest(ProblemCode.INVALID_PARAMETER, "An experiment cannot be compared with itself.",
                    List.of(new ApiProblemException.FieldError("baseline", "must name another experiment than '" + name + "'",
                            ProblemFieldLocation.QUERY)));
        }
        List<ComparisonQuery.TestCase> sides = comparisons.testCases(workspace, baseline, name, evaluator);
        // Index rows exist only for live experiments: a side with scored rows exists; only a side without any
        // needs the lookup that tells "not scored" from "unknown".
        if (sides.stream().noneMatch(t -> t.candidate().n() > 0)) {
            requireExperiment(workspace, name, "Experiment");
        }
        if (sides.stream().noneMatch(t -> t.baseline().n() > 0)) {
            requireExperiment(workspace, baseline, "Baseline experiment");
        }
        if (sides.isEmpty()) {
            throw ApiProblemException.badRequest(ProblemCode.INVALID_PARAMETER, "Evaluator '" + evaluator
                    + "' scores no test case of '" + name + "' or of '" + baseline + "'.",
                    List.of(new ApiProblemException.FieldError("evaluator",
                            "no session of either experiment with a test case id carries it", ProblemFieldLocation.QUERY)));
        }
        Comparison comparison = Comparison.of(sides, alpha, minDelta);
        List<Comparison.Row> rows = comparison.rows(verdict == null ? null : verdictOf(verdict), orderOf(sort));
        long offset = Pages.offset(page, pageSize);
        List<Comparison.Row> pageRows = rows.subList((int) Math.min(offset, rows.size()),
                (int) Math.min(offset + pageSize, rows.size()));
        return AnalysisMapper.comparison(baseline, name, pageRows,
                Pages.pagination(page, pageSize, pageRows.size(), rows.size()), sort, verdict, comparison.summary(),
                evaluator, alpha, minDelta);
    }

    private void requireExperiment(String workspace, String name, String what) {
        if (!experiments.exists(workspace, name)) {
            throw ApiProblemException.notFound(ProblemCode.EXPERIMENT_NOT_FOUND,
                    what + " '" + workspace + "/" + name + "' not found.");
        }
    }

    private static Comparison.Verdict verdictOf(ComparisonVerdict verdict) {
        return Comparison.Verdict.valueOf(verdict.toString().toUpperCase(Locale.ROOT));
    }

    private static Comparison.Order orderOf(ComparisonSort sort) {
        return switch (sort) {
            case DELTA -> Comparison.Order.DELTA;
            case DELTA_DESC -> Comparison.Order.DELTA_DESC;
            case P_VALUE -> Comparison.Order.P_VALUE;
            case TEST_CASE_ID -> Comparison.Order.TEST_CASE_ID;
        };
    }
}
