package dev.intake.bench.corpus;

import dev.intake.bench.Api;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeds a {@link CorpusPlan} through the batch ingest endpoint. Resumable: experiments whose session list is already
 * complete are skipped, and so are batches recorded in the checkpoint file. Prints a progress line every few
 * seconds and the spans/s at the end.
 */
public final class Seeder {
    private final Api api;
    private final Trajectories trajectories;
    private final Checkpoint checkpoint;
    private final int batchSize;
    private final int clients;
    private final PrintStream out;
    private final IngestStats stats = new IngestStats();
    private final AtomicLong sessionsDone = new AtomicLong();
    private final AtomicLong spansDone = new AtomicLong();

    /** What a seed run did. */
    public record Report(long sessionsPlanned, long sessionsSent, long spansSent, double seconds,
                         double spansPerSecond, List<IngestStats.Line> perBatchSize) {
    }

    public Seeder(Api api, Trajectories trajectories, Path checkpointFile, int batchSize, int clients, PrintStream out) {
        this.api = api;
        this.trajectories = trajectories;
        this.checkpoint = new Checkpoint(checkpointFile);
        this.batchSize = batchSize;
        this.clients = clients;
        this.out = out;
    }

    public Report seed(CorpusPlan plan) throws InterruptedException {
        List<Runnable> work = new ArrayList<>();
        List<String> complete = new ArrayList<>();
        long toSend = 0;
        for (CorpusPlan.Experiment e : plan.experiments()) {
            ensureExperiment(api, e.name());
            long present = sessionsOf(api, e.name());
            if (present >= e.sessions()) {
                complete.add(e.name());
                continue;
            }
            for (long first = 0; first < e.sessions(); first += batchSize) {
                int count = (int) Math.min(batchSize, e.sessions() - first);
                if (!checkpoint.isDone(e.name(), first, count)) {
                    long from = first;
                    work.add(() -> sendBatch(e.name(), from, count));
                    toSend += count;
                }
            }
        }
        if (!complete.isEmpty()) {
            out.printf("seed: %d experiments already complete, skipped: %s%n", complete.size(),
                    complete.size() <= 5 ? complete : complete.subList(0, 5) + " ...");
        }
        out.printf("seed: %,d sessions planned, %,d to send in batches of %d with %d clients%n",
                plan.sessions(), toSend, batchSize, clients);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Thread progress = progressPrinter(toSend, start);
        List<Future<?>> futures = work.stream().<Future<?>>map(pool::submit).toList();
        pool.shutdown();
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            throw new IllegalStateException("seed failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.awaitTermination(1, TimeUnit.MINUTES);
            progress.interrupt();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Report r = new Report(plan.sessions(), sessionsDone.get(), spansDone.get(), seconds,
                seconds > 0 ? spansDone.get() / seconds : 0, stats.lines());
        out.printf("seed: done, %,d sessions / %,d spans in %.1f s = %,.0f spans/s%n", r.sessionsSent(),
                r.spansSent(), seconds, r.spansPerSecond());
        for (IngestStats.Line l : r.perBatchSize()) {
            out.printf("seed:   batch %4d trajectories: %,d requests, %,.0f spans/s, p50 %.0f ms, p99 %.0f ms%n",
                    l.batchSize(), l.requests(), l.spansPerSecond(), l.p50Ms(), l.p99Ms());
        }
        return r;
    }

    private void sendBatch(String experiment, long first, int count) {
        List<Map<String, Object>> batch = new ArrayList<>(count);
        for (long i = first; i < first + count; i++) {
            batch.add(trajectories.trajectory(experiment, i));
        }
        long start = System.nanoTime();
        Api.Reply reply = api.postJson("ingest/atif/batch", Map.of("trajectories", batch));
        long end = System.nanoTime();
        if (reply.status() != 201) {
            throw new IllegalStateException("batch " + experiment + "@" + first + " answered " + reply.status() + ": "
                    + new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        long spans = reply.json().path("spans_written").asLong();
        stats.add(count, spans, start, end);
        checkpoint.markDone(experiment, first, count);
        sessionsDone.addAndGet(count);
        spansDone.addAndGet(spans);
    }

    private Thread progressPrinter(long total, long start) {
        Thread t = new Thread(() -> {
            long lastSpans = 0;
            long lastTime = start;
            try {
                while (true) {
                    Thread.sleep(5000);
                    long now = System.nanoTime();
                    long spans = spansDone.get();
                    long sessions = sessionsDone.get();
                    out.printf("seed: %s %,d/%,d sessions | %,d spans | %,.0f spans/s overall, %,.0f last 5 s%n",
                            bar(sessions, total), sessions, total, spans, spans / ((now - start) / 1e9),
                            (spans - lastSpans) / ((now - lastTime) / 1e9));
                    lastSpans = spans;
                    lastTime = now;
                }
            } catch (InterruptedException e) {
                // seeding finished
            }
        }, "seed-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String bar(long done, long total) {
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
    }

    /** Creates the experiment unless it exists (409). */
    public static void ensureExperiment(Api api, String name) {
        Api.Reply r = api.postJson("experiments", Map.of("name", name, "agent_name", "bench-agent",
                "agent_version", "1.0", "dataset_name", "bench-cases"));
        if (r.status() != 201 && r.status() != 409) {
            throw new IllegalStateException("create experiment " + name + " answered " + r.status() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Number of sessions the experiment lists now. */
    public static long sessionsOf(Api api, String experiment) {
        Api.Reply r = api.get(api.uri("experiments/" + experiment + "/sessions?page=1&page_size=1"));
        return r.status() == 200 ? r.json().path("pagination").path("total_results").asLong() : 0;
    }
}
