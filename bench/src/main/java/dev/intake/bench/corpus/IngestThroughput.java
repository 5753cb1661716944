package dev.intake.bench.corpus;

import dev.intake.bench.Api;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest throughput: {@code clients} threads send new trajectories back to back for a fixed time, either one per
 * request (the single endpoint) or {@code batchSize} per request (the batch endpoint). Every session id is new, so
 * each request is a first ingest, as in a real upload.
 */
public final class IngestThroughput {
    public static final String EXPERIMENT = "ingest-throughput";
    public static final String WORKSPACE = "bench-ingest";
    /** Trajectories of the batch whose statements the capture step records (the raw insert ceiling replays them). */
    public static final int CAPTURED_BATCH = 100;

    private final Api api;
    private final Trajectories trajectories;
    private final PrintStream out;
    private final AtomicLong next = new AtomicLong();
    private final String runTag = Long.toString(System.currentTimeMillis(), 36);

    /** One measured configuration. */
    public record Result(String endpoint, int clients, int trajectoriesPerRequest, double seconds, long requests,
                         long spans, double spansPerSecond, double requestsPerSecond, double p50Ms, double p99Ms) {
    }

    public IngestThroughput(Api api, Trajectories trajectories, PrintStream out) {
        this.api = api;
        this.trajectories = trajectories;
        this.out = out;
        Seeder.ensureExperiment(api, EXPERIMENT);
    }

    public Result run(int clients, int batchSize, double warmupSeconds, double seconds) throws InterruptedException {
        IngestStats stats = new IngestStats();
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long end = warmEnd + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    long spans = send(batchSize);
                    long done = System.nanoTime();
                    if (start >= warmEnd && done <= end) {
                        stats.add(batchSize, spans, start, done);
                    }
                }
            }, "ingest-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (stats.lines().isEmpty()) {
            out.printf("ingest: c%d x%d: no request both started after the warm-up and ended in the %.0f s window;"
                    + " lengthen the window (BENCH_INGEST_SECONDS)%n", clients, batchSize, seconds);
            return new Result(batchSize == 1 ? "ingest/atif" : "ingest/atif/batch", clients, batchSize, seconds, 0, 0,
                    0, 0, Double.NaN, Double.NaN);
        }
        IngestStats.Line l = stats.lines().get(0);
        // Throughput over the measured window (requests that started after warm-up and ended before the end).
        double window = seconds;
        Result r = new Result(batchSize == 1 ? "ingest/atif" : "ingest/atif/batch", clients, batchSize, window,
                l.requests(), l.spans(), l.spans() / window, l.requests() / window, l.p50Ms(), l.p99Ms());
        out.printf("ingest: %-18s c%d x%-4d %,9.0f spans/s %7.1f req/s  p50 %6.1f ms  p99 %6.1f ms%n", r.endpoint(),
                clients, batchSize, r.spansPerSecond(), r.requestsPerSecond(), r.p50Ms(), r.p99Ms());
        return r;
    }

    /** Sends one request of {@code batchSize} new trajectories; the spans written, or an exception on any non-201. */
    public long send(int batchSize) {
        List<Map<String, Object>> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            long n = next.getAndIncrement();
            batch.add(trajectories.trajectory(EXPERIMENT, runTag + "-" + n, n));
        }
        Api.Reply reply = batchSize == 1 ? api.postJson("ingest/atif", batch.get(0))
                : api.postJson("ingest/atif/batch", Map.of("trajectories", batch));
        if (reply.status() != 201) {
            throw new IllegalStateException("ingest answered " + reply.status() + ": "
                    + new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return batchSize == 1 ? reply.json().path("spans_written").asLong()
                : reply.json().path("spans_written").asLong();
    }
}
