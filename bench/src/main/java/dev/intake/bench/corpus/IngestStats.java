package dev.intake.bench.corpus;

import dev.intake.bench.load.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Spans, requests and wall time per batch size, for the spans/s figures. Thread-safe. */
public final class IngestStats {
    /** Totals of one batch size; {@code seconds} is first request sent to last answer, not the sum of request times. */
    public record Line(int batchSize, long requests, long spans, double seconds, double spansPerSecond,
                       double p50Ms, double p99Ms) {
    }

    private final Map<Integer, List<Long>> latencies = new TreeMap<>();
    private final Map<Integer, Long> spans = new TreeMap<>();
    private final Map<Integer, Long> busyFrom = new TreeMap<>();
    private final Map<Integer, Long> busyTo = new TreeMap<>();

    public synchronized void add(int batchSize, long spanCount, long startNanos, long endNanos) {
        latencies.computeIfAbsent(batchSize, k -> new ArrayList<>()).add(endNanos - startNanos);
        spans.merge(batchSize, spanCount, Long::sum);
        busyFrom.merge(batchSize, startNanos, Math::min);
        busyTo.merge(batchSize, endNanos, Math::max);
    }

    public synchronized List<Line> lines() {
        List<Line> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Long>> e : latencies.entrySet()) {
            int size = e.getKey();
            double seconds = (busyTo.get(size) - busyFrom.get(size)) / 1e9;
            List<Long> sorted = e.getValue().stream().sorted().toList();
            out.add(new Line(size, sorted.size(), spans.get(size), seconds, spans.get(size) / seconds,
                    Percentiles.nearestRank(sorted, 50) / 1e6, Percentiles.nearestRank(sorted, 99) / 1e6));
        }
        return out;
    }
}
