package dev.intake.bench.ingest;

import dev.intake.bench.Api;
import dev.intake.bench.corpus.IngestThroughput;
import dev.intake.bench.load.LoadDriver;
import dev.intake.bench.load.Scenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads that survive writes: the sessions list under closed-loop load by {@code listers} clients, first alone
 * (idle), then while {@code ingesters} clients post new trajectories back to back (mixed); then a crowd of
 * listers and ingesters (fewer than 16 clients in all) against an API with the default query timeout, counting
 * every failed request (a 503 is one).
 */
public final class MixedLoad {
    /** The three runs; the ingesters' spans/s during the mixed run; the crowd's request and error counts. */
    public record Run(String listPath, int listers, int ingesters, int ingestBatch, LoadDriver.Result idle,
                      LoadDriver.Result mixed, double mixedIngestSpansPerSecond, int crowdListers, int crowdIngesters,
                      int crowdIngestBatch, LoadDriver.Result crowd, long crowdRequests, long crowdErrors) {
    }

    private final PrintStream out;

    public MixedLoad(PrintStream out) {
        this.out = out;
    }

    public Run run(Api lists, IngestThroughput ingest, Api crowdLists, IngestThroughput crowdIngest, Scenario list,
                   int listers, int ingesters, int ingestBatch, int crowdListers, int crowdIngesters,
                   int crowdIngestBatch, double warmup, double seconds) {
        LoadDriver driver = new LoadDriver(out);
        LoadDriver.Result idle = driver.run(lists, list, listers, warmup, seconds);
        Writers writers = new Writers(ingest, ingesters, ingestBatch);
        LoadDriver.Result mixed = driver.run(lists, list, listers, warmup, seconds);
        Writers.Totals written = writers.stop();
        double spansPerSecond = written.spans() / written.seconds();
        out.printf(Locale.ROOT, "mixed: %d ingesters wrote %,.0f spans/s (%d failed requests)%n", ingesters,
                spansPerSecond, written.errors());
        Writers crowdWriters = new Writers(crowdIngest, crowdIngesters, crowdIngestBatch);
        LoadDriver.Result crowd = driver.run(crowdLists, list, crowdListers, warmup, seconds);
        Writers.Totals crowdWritten = crowdWriters.stop();
        long requests = crowd.requests() + crowd.errors() + crowdWritten.requests() + crowdWritten.errors();
        long errors = crowd.errors() + crowdWritten.errors();
        out.printf(Locale.ROOT, "mixed: crowd of %d listers + %d ingesters: %d of %d requests failed%n", crowdListers,
                crowdIngesters, errors, requests);
        return new Run(list.path(), listers, ingesters, ingestBatch, idle, mixed, spansPerSecond, crowdListers,
                crowdIngesters, crowdIngestBatch, crowd, requests, errors);
    }

    /** Ingesting clients running in the background until stopped. */
    private static final class Writers {
        record Totals(long requests, long spans, long errors, double seconds) {
        }

        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong spans = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final long started = System.nanoTime();

        Writers(IngestThroughput ingest, int clients, int batch) {
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            spans.addAndGet(ingest.send(batch));
                            requests.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }, "mixed-ingest-" + i);
                threads.add(t);
                t.start();
            }
        }

        Totals stop() {
            stop.set(true);
            LoadDriver.joinAll(threads);
            return new Totals(requests.get(), spans.get(), errors.get(), (System.nanoTime() - started) / 1e9);
        }
    }
}
