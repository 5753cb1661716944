package dev.intake.bench.load;

import dev.intake.bench.Api;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} clients, each sending its next request as soon as the previous answer has
 * arrived, for a warm-up and then a measured window. Only requests that start after the warm-up and end inside the
 * window count; req/s is their number over the window.
 */
public final class LoadDriver {
    private final PrintStream out;

    /** One measured scenario at one concurrency; times in ms. */
    public record Result(String scenario, String experiment, int experimentSessions, String query, int concurrency,
                         long requests, long errors, double seconds, double requestsPerSecond, double p50Ms,
                         double p90Ms, double p99Ms, double meanMs) {
    }

    public LoadDriver(PrintStream out) {
        this.out = out;
    }

    /**
     * Drives the API with GET requests of the scenario; a non-200 answer counts as an error (for a conditional
     * scenario: a non-304 answer to {@code If-None-Match} with the ETag read first).
     */
    public Result run(Api api, Scenario s, int concurrency, double warmupSeconds, double seconds) {
        return run(s, concurrency, warmupSeconds, seconds, request(api, s));
    }

    /** One request of the scenario: its duration in ns, negative unless answered 200 (304 when conditional). */
    public static Request request(Api api, Scenario s) {
        URI uri = api.uri(s.path());
        if (s.conditional()) {
            String etag = api.etag(uri);
            return () -> {
                Api.Reply r = api.get(uri, etag);
                return r.status() == 304 ? r.nanos() : -r.nanos();
            };
        }
        if (s.kept()) {
            return () -> {
                Api.Reply r = api.getKept(uri);
                return r.status() == 200 ? r.nanos() : -r.nanos();
            };
        }
        return () -> {
            Api.Reply r = api.get(uri);
            return r.status() == 200 ? r.nanos() : -r.nanos();
        };
    }

    /**
     * Sends the scenarios' requests round-robin from one client for {@code seconds}, measuring nothing: the API's
     * JIT and the engine's caches are then warm before the first measured scenario, not only by its own short
     * warm-up (the first scenarios of a run would otherwise pay for compiling what every later one uses).
     */
    public void warm(Api api, List<Scenario> scenarios, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long requests = 0;
        while (System.nanoTime() < end) {
            for (Scenario s : scenarios) {
                api.get(api.uri(s.path()));
                requests++;
            }
        }
        out.printf("load: warm-up of %d requests over the %d scenarios in %.0f s, not measured%n", requests,
                scenarios.size(), seconds);
    }

    /**
     * Drives any request; {@code request} returns its duration in ns, negative for an error.
     */
    public Result run(Scenario s, int concurrency, double warmupSeconds, double seconds, Request request) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long end = warmEnd + (long) (seconds * 1e9);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    long took = request.send();
                    long done = System.nanoTime();
                    if (start >= warmEnd && done <= end) {
                        if (took < 0) {
                            errors.incrementAndGet();
                        } else {
                            latencies.add(took);
                        }
                    }
                }
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        joinAll(threads);
        List<Long> sorted = latencies.stream().sorted().toList();
        Result r = new Result(s.name(), s.experiment(), s.experimentSessions(), s.query(), concurrency, sorted.size(),
                errors.get(), seconds, sorted.size() / seconds, ms(Percentiles.nearestRank(sorted, 50)),
                ms(Percentiles.nearestRank(sorted, 90)), ms(Percentiles.nearestRank(sorted, 99)),
                ms((long) sorted.stream().mapToLong(Long::longValue).average().orElse(0)));
        out.printf("load: %-14s %-12s c%d %7.1f req/s  p50 %7.2f  p90 %7.2f  p99 %7.2f ms  (%d req, %d errors)%n",
                r.scenario(), r.experiment(), concurrency, r.requestsPerSecond(), r.p50Ms(), r.p90Ms(), r.p99Ms(),
                r.requests(), r.errors());
        return r;
    }

    /** Waits for the client threads to end. */
    public static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** One request; returns its duration in ns, negative for a failed one. */
    @FunctionalInterface
    public interface Request {
        long send();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
