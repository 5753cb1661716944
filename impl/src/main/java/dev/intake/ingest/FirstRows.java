package dev.intake.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The list row of a trajectory's session computed from its mapped rows, as the index refresh computes it from the
 * stored rows (sessions/refresh.sql), for the sessions where that is exact whatever order the store reads rows in:
 * one root, no row written twice, whole-number metrics (their sums are exact in any order) and at most one scored
 * result per evaluator (its mean is the value itself). Any other trajectory gets no first row: it is refreshed.
 */
final class FirstRows {
    /** Above this a double no longer holds every integer: sums of whole numbers could round. */
    private static final double EXACT_INTEGERS = 9_007_199_254_740_992d;

    private FirstRows() {
    }

    static Optional<SessionRows.FirstRow> of(MappedTrajectory m) {
        if (m.experimentName() == null) {
            return Optional.empty();
        }
        List<SpanRow> roots = m.spans().stream().filter(s -> s.parentSpanId().isEmpty()).toList();
        if (roots.size() != 1 || !m.experimentName().equals(roots.get(0).attributesString().get("experiment.id"))
                || !roots.get(0).traceId().equals(m.sessionId())) {
            return Optional.empty();
        }
        Set<String> spanKeys = new HashSet<>();
        for (SpanRow s : m.spans()) {
            if (!spanKeys.add(s.traceId() + "/" + s.spanId())) {
                return Optional.empty();
            }
        }
        Set<String> resultKeys = new HashSet<>();
        Map<String, Double> scores = new TreeMap<>();
        List<String> booleans = new ArrayList<>();
        for (ResultRow r : m.results()) {
            if (!resultKeys.add(r.spanId() + "/" + r.name() + "/" + r.resultId())) {
                return Optional.empty();
            }
            if (r.dataType() != ResultRow.DataType.TEXT && r.value() != null) {
                if (scores.put(r.name(), r.value()) != null) {
                    return Optional.empty();
                }
                if (r.dataType() == ResultRow.DataType.BOOLEAN) {
                    booleans.add(r.name());
                }
            }
        }
        Sum prompt = Sum.of(m, AtifMapper.PROMPT);
        Sum completion = Sum.of(m, AtifMapper.COMPLETION);
        Sum cached = Sum.of(m, AtifMapper.CACHED);
        Sum cost = Sum.of(m, AtifMapper.COST);
        if (!prompt.exact() || !completion.exact() || !cached.exact() || !cost.exact()) {
            return Optional.empty();
        }
        SpanRow root = roots.get(0);
        return Optional.of(new SessionRows.FirstRow(m.sessionId(), m.experimentName(), root.startTime(),
                root.spanId(), root.attributesString().getOrDefault("test_case.id", ""), root.status().label(),
                root.input(), root.output(), root.endTime(), prompt.value(), completion.value(), cached.value(),
                cost.value(), scores, booleans));
    }

    /**
     * The sum of one metric over the spans that carry it ({@code value} null when none does); not {@code exact}
     * when a value is not a whole number a double holds exactly, as the store's sum could then depend on the order
     * of addition.
     */
    private record Sum(boolean exact, Long value) {
        static Sum of(MappedTrajectory m, String metric) {
            long total = 0;
            boolean any = false;
            for (SpanRow s : m.spans()) {
                Double v = s.attributesNumber().get(metric);
                if (v == null) {
                    continue;
                }
                if (v != Math.rint(v) || Math.abs(v) >= EXACT_INTEGERS) {
                    return new Sum(false, null);
                }
                total += v.longValue();
                any = true;
            }
            if (Math.abs((double) total) >= EXACT_INTEGERS) {
                return new Sum(false, null);
            }
            return new Sum(true, any ? total : null);
        }
    }
}
