package dev.intake.bench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.bench.engine.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Export throughput: the whole experiment through the API as NDJSON and as CSV (rows per second end to end, time to
 * the first byte of the body), the engine's own time for the same statements (captured from the API, replayed
 * straight to the engine), and the engine's {@code SELECT 1} round trip measured in the same run as the floor.
 */
public final class ExportBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final PrintStream out;

    /** One format's runs: medians over the repetitions. */
    public record ApiResult(String format, long rows, long bytes, double ttfbMsP50, double totalMsP50,
                            double rowsPerSecondP50, double[] totalMs) {
    }

    /** The captured statements replayed: summed over the statements, medians over the repetitions. */
    public record EngineResult(List<String> statements, double wallMsP50, double elapsedMsP50, double chdbMsP50,
                               double rowsPerSecondWall) {
    }

    /** Everything the report shows. */
    public record Result(String experiment, int repetitions, double floorMsP50, List<ApiResult> api,
                         EngineResult engine) {
    }

    public ExportBench(PrintStream out) {
        this.out = out;
    }

    public Result run(String api, String workspace, String experiment, String engine, List<Statement> captured,
                      int repetitions) {
        double floor = floor(engine);
        List<ApiResult> results = new ArrayList<>();
        for (String format : List.of("ndjson", "csv")) {
            URI uri = URI.create(api + "/apis/intake/v2/workspaces/" + workspace + "/experiments/" + experiment
                    + "/sessions/export?format=" + format);
            // warm-up: at least once and for 3 s, so a small experiment's few-ms exports do not measure a cold JIT
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            do {
                stream(uri);
            } while (System.nanoTime() < warmEnd);
            double[] ttfb = new double[repetitions];
            double[] total = new double[repetitions];
            long rows = 0;
            long bytes = 0;
            for (int i = 0; i < repetitions; i++) {
                long[] r = stream(uri);
                ttfb[i] = r[0] / 1e6;
                total[i] = r[1] / 1e6;
                rows = format.equals("csv") ? r[2] - 1 : r[2];
                bytes = r[3];
            }
            double p50 = median(total);
            ApiResult a = new ApiResult(format, rows, bytes, median(ttfb), p50, rows / (p50 / 1000), total);
            out.printf("export: %-6s %,d rows, %,d bytes: %.0f ms p50 (%.0f rows/s), first byte %.1f ms%n", format,
                    rows, bytes, p50, a.rowsPerSecondP50(), a.ttfbMsP50());
            results.add(a);
        }
        EngineResult e = replay(engine, captured, repetitions, results.get(0).rows());
        out.printf("export: engine %s: wall %.0f ms, elapsed %.0f ms, floor (SELECT 1) %.2f ms%n", e.statements(),
                e.wallMsP50(), e.elapsedMsP50(), floor);
        return new Result(experiment, repetitions, floor, results, e);
    }

    /** Time to the first byte of the body, total time, lines and bytes of one export. */
    private long[] stream(URI uri) {
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
            long first = 0;
            long lines = 0;
            long bytes = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = r.body()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (bytes == 0) {
                        first = System.nanoTime() - start;
                    }
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            return new long[] {first, System.nanoTime() - start, lines, bytes};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private EngineResult replay(String engine, List<Statement> statements, int repetitions, long rows) {
        double[] wall = new double[repetitions];
        double[] elapsed = new double[repetitions];
        double[] chdb = new double[repetitions];
        for (int i = -1; i < repetitions; i++) { // -1: warm-up
            long w = 0;
            long el = 0;
            long ch = 0;
            for (Statement st : statements) {
                long start = System.nanoTime();
                HttpResponse<InputStream> r = send(engine + st.pathAndQuery(), st.headers(), st.body());
                drain(r.body());
                w += System.nanoTime() - start;
                JsonNode summary = summary(r);
                el += summary.path("elapsed_ns").asLong();
                ch += summary.path("engine_elapsed_ns").asLong();
            }
            if (i >= 0) {
                wall[i] = w / 1e6;
                elapsed[i] = el / 1e6;
                chdb[i] = ch / 1e6;
            }
        }
        double wallP50 = median(wall);
        return new EngineResult(statements.stream().map(Statement::name).toList(), wallP50, median(elapsed),
                median(chdb), rows / (wallP50 / 1000));
    }

    /** The engine's {@code SELECT 1} round trip over HTTP, p50 of 20 after 5 warm-ups. */
    private double floor(String engine) {
        double[] t = new double[20];
        for (int i = -5; i < t.length; i++) {
            long start = System.nanoTime();
            drain(send(engine + "/?query=" + URLEncoder.encode("SELECT 1", StandardCharsets.UTF_8),
                    java.util.Map.of(), "").body());
            if (i >= 0) {
                t[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return median(t);
    }

    private HttpResponse<InputStream> send(String url, java.util.Map<String, String> headers, String body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(req::header);
        try {
            HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode summary(HttpResponse<?> r) {
        try {
            return JSON.readTree(r.headers().firstValue("X-ClickHouse-Summary").orElse("{}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }
}
