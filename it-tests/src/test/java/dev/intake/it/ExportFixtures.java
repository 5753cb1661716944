package dev.intake.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Session-index rows written straight into ClickHouse (fast, for large exports) and a streaming HTTP client. */
final class ExportFixtures {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ExportFixtures() {
    }

    /**
     * Writes {@code sessions} index rows for {@code experiment}: session {@code s-000042} starts 42 ms after the first,
     * has an input of {@code inputChars} characters, status error for every tenth, scores quality and safety.
     */
    static void seedIndex(Db db, String workspace, String experiment, int sessions, int inputChars) {
        Instant start = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        db.execute("""
                INSERT INTO experiment_sessions (workspace, experiment_id, experiment_name, started_at, root_span_id,
                  session_id, trace_id, test_case_id, status, input, ended_at, latency_ms, input_tokens, output_tokens,
                  cached_tokens, cost_micro_usd, evaluator_scores, version, is_deleted)
                SELECT ?, generateUUIDv4(), ?, toDateTime64(?, 6, 'UTC') + toIntervalMillisecond(number) AS t,
                  concat('root-', toString(number)), concat('s-', leftPad(toString(number), 6, '0')),
                  concat('s-', leftPad(toString(number), 6, '0')), concat('case-', toString(number % 7)),
                  if(number % 10 = 0, 'error', 'success'), concat(toString(number), ':', repeat('x', ?)),
                  t + toIntervalMillisecond(1500), 1500, number, 2 * number, NULL, 10 * number,
                  map('quality', (number % 100) / 100, 'safety', 1), now64(6, 'UTC'), 0
                FROM numbers(?)""", workspace, experiment, start.toString().replace("T", " ").replace("Z", ""),
                inputChars, sessions);
    }

    static String exportPath(String workspace, String experiment, String query) {
        return "/apis/intake/v2/workspaces/" + workspace + "/experiments/" + experiment + "/sessions/export"
                + (query.isEmpty() ? "" : "?" + query);
    }

    /** Opens an export without reading its body. */
    static HttpResponse<InputStream> open(URI base, String path) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
