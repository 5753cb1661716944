package dev.intake.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.bench.load.LoadDriver;
import dev.intake.bench.load.Percentiles;
import dev.intake.bench.load.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Sends the captured statements of one API request straight to the engine's HTTP interface, one after the other
 * as the API does, and times them three ways: client wall time (HTTP round trips, what the API cannot go below),
 * the engine front's {@code elapsed_ns} (the statement's turn to its result, settings included) and chDB's own
 * {@code engine_elapsed_ns}, each summed over the request's statements.
 */
public final class EngineReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String engine;
    private final PrintStream out;

    /** One scenario's engine-only figures at concurrency 1, in ms (p50 over the repetitions), and at c4. */
    public record Result(String scenario, String experiment, List<String> statements,
                         List<Double> statementElapsedP50Ms, int repetitions, double wallP50Ms, double wallP99Ms, double elapsedP50Ms, double engineP50Ms,
                         double c4RequestsPerSecond, double c4WallP50Ms, double interleavedApiP50Ms,
                         double interleavedEngineP50Ms) {
        /** This result with the p50s of the interleaved loop (see {@link #interleaved}). */
        public Result withInterleaved(double[] p50s) {
            return new Result(scenario, experiment, statements, statementElapsedP50Ms, repetitions, wallP50Ms,
                    wallP99Ms, elapsedP50Ms, engineP50Ms, c4RequestsPerSecond, c4WallP50Ms, p50s[0], p50s[1]);
        }
    }

    /** One run of a request's statements: sums, and each statement's {@code elapsed_ns}. */
    private record Timing(long wall, long elapsed, long engine, long[] perStatement) {
    }

    public EngineReplay(String engine, PrintStream out) {
        this.engine = engine.endsWith("/") ? engine.substring(0, engine.length() - 1) : engine;
        this.out = out;
    }

    public Result measure(Scenario s, List<Statement> statements, int warmup, int repetitions,
                          double c4Warmup, double c4Seconds) {
        return measure(s, run -> statements, warmup, repetitions, c4Warmup, c4Seconds);
    }

    /**
     * Like {@link #measure(Scenario, List, int, int, double, double)}, with the statements of each run given by
     * its number (from 0, warm-up and c4 runs included): for statements that may run only once as captured, such
     * as an ingest of a session that must be new.
     */
    public Result measure(Scenario s, IntFunction<List<Statement>> statementsOfRun, int warmup, int repetitions,
                          double c4Warmup, double c4Seconds) {
        AtomicInteger runs = new AtomicInteger();
        Supplier<List<Statement>> next = () -> statementsOfRun.apply(runs.getAndIncrement());
        List<Statement> statements = next.get();
        for (int i = 0; i < warmup; i++) {
            run(i == 0 ? statements : next.get());
        }
        List<Long> wall = new ArrayList<>();
        List<Long> elapsed = new ArrayList<>();
        List<Long> engineNs = new ArrayList<>();
        List<List<Long>> perStatement = new ArrayList<>();
        statements.forEach(st -> perStatement.add(new ArrayList<>()));
        for (int i = 0; i < repetitions; i++) {
            Timing t = run(warmup == 0 && i == 0 ? statements : next.get());
            wall.add(t.wall());
            elapsed.add(t.elapsed());
            engineNs.add(t.engine());
            for (int k = 0; k < statements.size(); k++) {
                perStatement.get(k).add(t.perStatement()[k]);
            }
        }
        perStatement.forEach(l -> l.sort(null));
        wall.sort(null);
        elapsed.sort(null);
        engineNs.sort(null);
        LoadDriver.Result c4 = new LoadDriver(new PrintStream(PrintStream.nullOutputStream()))
                .run(s, 4, c4Warmup, c4Seconds, () -> run(next.get()).wall());
        Result r = new Result(s.name(), s.experiment(), statements.stream().map(Statement::name).toList(),
                perStatement.stream().map(l -> ms(Percentiles.nearestRank(l, 50))).toList(), repetitions,
                ms(Percentiles.nearestRank(wall, 50)), ms(Percentiles.nearestRank(wall, 99)),
                ms(Percentiles.nearestRank(elapsed, 50)), ms(Percentiles.nearestRank(engineNs, 50)),
                c4.requestsPerSecond(), c4.p50Ms(), Double.NaN, Double.NaN);
        out.printf("engine: %-14s %-12s %s %s ms: wall p50 %6.2f ms, elapsed p50 %6.2f, chDB p50 %6.2f;"
                        + " c4 %6.1f req/s%n", s.name(), s.experiment(), r.statements(), r.statementElapsedP50Ms(),
                r.wallP50Ms(), r.elapsedP50Ms(), r.engineP50Ms(), r.c4RequestsPerSecond());
        return r;
    }

    /**
     * One API request, then the same statements straight to the engine, {@code repetitions} times in turn (after a
     * few unmeasured rounds): both sides see the same moments of the machine, where the load and replay steps run
     * minutes apart. Returns {API p50, engine wall p50} in ms; {@code apiRequest} returns its duration in ns.
     */
    public double[] interleaved(LoadDriver.Request apiRequest, List<Statement> statements, int repetitions) {
        for (int i = 0; i < 10; i++) {
            apiRequest.send();
            run(statements);
        }
        List<Long> api = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            long took = apiRequest.send();
            if (took < 0) {
                throw new IllegalStateException("the API failed a request of the interleaved loop");
            }
            api.add(took);
            wall.add(run(statements).wall());
        }
        api.sort(null);
        wall.sort(null);
        return new double[] {ms(Percentiles.nearestRank(api, 50)), ms(Percentiles.nearestRank(wall, 50))};
    }

    /** Scenario name of the floor in {@code engine.json}: the engine's {@code SELECT 1} round trip. */
    public static final String FLOOR = "select-1";

    /**
     * The engine's {@code SELECT 1} round trip, timed like a scenario (scenario {@value #FLOOR}): the floor every
     * figure of the same run is divided by, since absolute times move with the machine's load.
     */
    public Result floor(int repetitions) {
        return measure(new Scenario(FLOOR, "-", 0, ""), floorStatements(), 20, repetitions, 0.5, 1);
    }

    /** The floor's one statement, {@code SELECT 1}. */
    public static List<Statement> floorStatements() {
        return List.of(new Statement(FLOOR, "/", java.util.Map.of(), "SELECT 1"));
    }

    /** The engine's version, asked the same way. */
    public String version() {
        return new String(send("/?query=" + java.net.URLEncoder.encode("SELECT version()", StandardCharsets.UTF_8),
                java.util.Map.of(), "").body(), StandardCharsets.UTF_8).trim();
    }

    private Timing run(List<Statement> statements) {
        long wall = 0;
        long elapsed = 0;
        long engineNs = 0;
        long[] perStatement = new long[statements.size()];
        for (int k = 0; k < statements.size(); k++) {
            Statement st = statements.get(k);
            long start = System.nanoTime();
            HttpResponse<byte[]> r = send(st.pathAndQuery(), st.headers(), st.body());
            wall += System.nanoTime() - start;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(st.name() + " answered " + r.statusCode() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            JsonNode summary = summary(r);
            perStatement[k] = summary.path("elapsed_ns").asLong();
            elapsed += perStatement[k];
            engineNs += summary.path("engine_elapsed_ns").asLong();
        }
        return new Timing(wall, elapsed, engineNs, perStatement);
    }

    private HttpResponse<byte[]> send(String pathAndQuery, java.util.Map<String, String> headers, String body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(engine + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(req::header);
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode summary(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.headers().firstValue("X-ClickHouse-Summary").orElse("{}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
