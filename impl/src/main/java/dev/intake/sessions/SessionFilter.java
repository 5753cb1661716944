package dev.intake.sessions;

import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.ProblemFieldLocation;
import dev.intake.api.model.SpanStatus;
import dev.intake.store.Params;
import dev.intake.web.ApiProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of a session list, parsed once from the query parameters; null (or an empty list) means "no filter".
 * The predicates themselves are SQL (key-range.sql and filter.sql); {@link #bind} supplies their values.
 */
record SessionFilter(SpanStatus status, String testCaseId, Double minLatencyMs, Double maxLatencyMs,
                            Double minCostTotalUsd, Double maxCostTotalUsd, Long minTotalTokens, Long maxTotalTokens,
                            Instant startedAfter, Instant startedBefore, List<ScoreCondition> scores,
                            String inputContains) {

    /** {@code <evaluator><op><number>}: the evaluator name is everything before the operator (no <, >, =). */
    private static final Pattern SCORE = Pattern.compile("^([^<>=]+)(>=|<=|>|<|=)(.+)$", Pattern.DOTALL);
    private static final List<String> OPERATORS = List.of(">=", "<=", ">", "<", "=");
    private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,2})?$");

    /** One {@code score} condition, e.g. {@code quality>=0.8}; {@code text} is the value as given. */
    public record ScoreCondition(String evaluator, String op, double bound, String text) {
    }

    public SessionFilter {
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** No filter at all. */
    public static SessionFilter none() {
        return new SessionFilter(null, null, null, null, null, null, null, null, null, null, List.of(), null);
    }

    /**
     * Checks the bounds against each other and parses the score conditions.
     *
     * @throws ApiProblemException 400 naming every offending parameter
     */
    public static SessionFilter of(SpanStatus status, String testCaseId, Double minLatencyMs, Double maxLatencyMs,
                                   Double minCostTotalUsd, Double maxCostTotalUsd, Long minTotalTokens,
                                   Long maxTotalTokens, Instant startedAfter, Instant startedBefore,
                                   List<String> score, String inputContains) {
        List<ApiProblemException.FieldError> errors = new ArrayList<>();
        range(errors, "min_latency_ms", "max_latency_ms", minLatencyMs, maxLatencyMs);
        range(errors, "min_cost_total_usd", "max_cost_total_usd", minCostTotalUsd, maxCostTotalUsd);
        range(errors, "min_total_tokens", "max_total_tokens", minTotalTokens, maxTotalTokens);
        range(errors, "started_after", "started_before", startedAfter, startedBefore);
        List<ScoreCondition> scores = new ArrayList<>();
        for (String value : score == null ? List.<String>of() : score) {
            Matcher m = value == null ? null : SCORE.matcher(value);
            if (m == null || !m.matches() || !NUMBER.matcher(m.group(3)).matches()) {
                errors.add(new ApiProblemException.FieldError("score", "'" + value
                        + "' is not <evaluator><op><number> with op one of >=, <=, >, <, =", ProblemFieldLocation.QUERY));
                continue;
            }
            double bound = Double.parseDouble(m.group(3));
            if (!Double.isFinite(bound)) {
                errors.add(new ApiProblemException.FieldError("score", "'" + value + "' has no finite number", ProblemFieldLocation.QUERY));
                continue;
            }
            scores.add(new ScoreCondition(m.group(1), m.group(2), bound, value));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(ProblemCode.INVALID_PARAMETER, "Invalid filter: " + String.join("; ",
                    errors.stream().map(e -> e.field() + ": " + e.message()).toList()) + ".", errors);
        }
        return new SessionFilter(status, testCaseId, minLatencyMs, maxLatencyMs, minCostTotalUsd, maxCostTotalUsd,
                minTotalTokens, maxTotalTokens, startedAfter, startedBefore, scores, inputContains);
    }

    private static <T extends Comparable<T>> void range(List<ApiProblemException.FieldError> errors, String minName,
                                                        String maxName, T min, T max) {
        if (min != null && max != null && min.compareTo(max) > 0) {
            errors.add(new ApiProblemException.FieldError(minName, minName + " is greater than " + maxName, ProblemFieldLocation.QUERY));
        }
    }

    /** The named fragments of key-range.sql that these filters need, besides the experiment's range. */
    List<String> keyRangePredicates() {
        List<String> names = new ArrayList<>();
        add(names, "started_after", startedAfter);
        add(names, "started_before", startedBefore);
        return names;
    }

    /** The named fragments of filter.sql that these filters need, besides {@code current}. */
    List<String> predicates() {
        List<String> names = new ArrayList<>();
        add(names, "status", status);
        add(names, "test_case_id", testCaseId);
        add(names, "min_latency_ms", minLatencyMs);
        add(names, "max_latency_ms", maxLatencyMs);
        add(names, "min_cost_total_usd", minCostTotalUsd);
        add(names, "max_cost_total_usd", maxCostTotalUsd);
        add(names, "min_total_tokens", minTotalTokens);
        add(names, "max_total_tokens", maxTotalTokens);
        add(names, "input_contains", inputContains);
        return names;
    }

    /**
     * Whether the sessions these filters keep are counted ahead in {@code experiment_counters}: no filter, or only
     * {@code status} and {@code test_case_id}.
     */
    boolean isPreCounted() {
        return predicates().stream().allMatch(p -> p.equals("status") || p.equals("test_case_id"))
                && keyRangePredicates().isEmpty() && scores.isEmpty();
    }

    /** The filters of {@link #isPreCounted} as a predicate on {@code experiment_counters} ({@code 1}: none). */
    String countersPredicate() {
        List<String> terms = new ArrayList<>();
        if (status != null) {
            terms.add("status = :status");
        }
        if (testCaseId != null) {
            terms.add("test_case_id = :test_case_id");
        }
        return terms.isEmpty() ? "1" : String.join(" AND ", terms);
    }

    /**
     * The {@code score} fragment of filter.sql once per condition, with its index and its operator (one of the
     * five the parser accepts, never other text) put in.
     */
    List<String> scorePredicates(String scoreFragment) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            String op = scores.get(i).op();
            if (!OPERATORS.contains(op)) {
                throw new IllegalStateException("not a score operator: " + op);
            }
            out.add(scoreFragment.replace("_N", "_" + i).replace("OP", op));
        }
        return out;
    }

    private static void add(List<String> names, String name, Object value) {
        if (value != null) {
            names.add(name);
        }
    }

    /** Binds the values of key-range.sql and filter.sql (except :snapshot, which belongs to a cursor walk). */
    void bind(Params p) {
        p.with("status", status == null ? null : status.toString())
                .with("test_case_id", testCaseId)
                .with("started_after", startedAfter)
                .with("started_before", startedBefore)
                .with("min_latency_ms", minLatencyMs)
                .with("max_latency_ms", maxLatencyMs)
                .with("min_cost_micro_usd", micro(minCostTotalUsd))
                .with("max_cost_micro_usd", micro(maxCostTotalUsd))
                .with("min_total_tokens", minTotalTokens)
                .with("max_total_tokens", maxTotalTokens)
                .with("input_contains", inputContains);
        for (int i = 0; i < scores.size(); i++) {
            p.with("score_name_" + i, scores.get(i).evaluator()).with("score_bound_" + i, scores.get(i).bound());
        }
    }

    /** USD to micro-USD without binary rounding: 0.05 is exactly 50000 (the decimal the client wrote). */
    private static Double micro(Double usd) {
        return usd == null ? null : BigDecimal.valueOf(usd).movePointRight(6).doubleValue();
    }

    /** A stable text naming these filters, for a cursor's fingerprint. */
    String canonical() {
        return String.join("\u0001", String.valueOf(status), String.valueOf(testCaseId), String.valueOf(minLatencyMs),
                String.valueOf(maxLatencyMs), String.valueOf(minCostTotalUsd), String.valueOf(maxCostTotalUsd),
                String.valueOf(minTotalTokens), String.valueOf(maxTotalTokens), String.valueOf(startedAfter),
                String.valueOf(startedBefore), String.join("\u0002", scores.stream().map(ScoreCondition::text).sorted().toList()),
                String.valueOf(inputContains));
    }

    /** The filters as the list and the statistics echo them. */
    public ExperimentSessionFilter echo() {
        return new ExperimentSessionFilter(status, testCaseId, minLatencyMs, maxLatencyMs, minCostTotalUsd,
                maxCostTotalUsd, minTotalTokens, maxTotalTokens,
                startedAfter == null ? null : startedAfter.atOffset(ZoneOffset.UTC),
                startedBefore == null ? null : startedBefore.atOffset(ZoneOffset.UTC),
                scores.stream().map(ScoreCondition::text).toList(), inputContains);
    }
}
