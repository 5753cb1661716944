package dev.intake.it;

import static dev.intake.it.ExportFixtures.exportPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The export streams: a server with a 128 MB heap exports 100,000 sessions of ~1 KB each (~100 MB of NDJSON, more
 * than the heap could hold) and every row arrives, in order, with its content. The server runs in a child JVM so its
 * heap limit is real.
 */
class SessionsExportHeapIT {
    static final int SESSIONS = 100_000;
    static final int INPUT_CHARS = 1000;

    @Test
    void aServerWithA128MbHeapExports100000SessionsOfOneKilobyte() throws Exception {
        String engineUrl = Engine.jdbcUrl();
        String database = "it_" + UUID.randomUUID().toString().replace("-", "");
        Path log = Files.createTempFile(Path.of(System.getProperty("it.data.dir", "target")).toAbsolutePath()
                .getParent(), "export-heap-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), "dev.intake.Main")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // a long query timeout: seeding 100 MB holds the one-statement-at-a-time engine for seconds, and the server's
        // health checks must not take that for an outage
        builder.environment().putAll(Map.of("CLICKHOUSE_URL", engineUrl, "CLICKHOUSE_DATABASE", database, "PORT", "0",
                "CLICKHOUSE_QUERY_TIMEOUT_MS", "60000"));
        Process server = builder.start();
        try {
            URI base = awaitReady(server, log);
            Http http = new Http(base);
            Experiments.create(http, "ws-heap", "big");
            ExportFixtures.seedIndex(new Db(engineUrl, database), "ws-heap", "big", SESSIONS, INPUT_CHARS);
            awaitStoreReady(http); // the engine runs one statement at a time: the seeding held it for seconds

            Instant started = Instant.now();
            HttpResponse<java.io.InputStream> export = ExportFixtures.open(base, exportPath("ws-heap", "big", ""));
            assertThat(export.statusCode()).isEqualTo(200);
            int rows = 0;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(export.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    JsonNode row = Http.JSON.readTree(line);
                    assertThat(row.get("session_id").asText()).isEqualTo(String.format("s-%06d", rows));
                    assertThat(row.get("input").asText()).hasSize(String.valueOf(rows).length() + 1 + INPUT_CHARS);
                    assertThat(row.get("output_tokens").asLong()).isEqualTo(2L * rows);
                    assertThat(row.get("evaluator_scores").get("quality").asDouble()).isEqualTo((rows % 100) / 100.0);
                    rows++;
                }
            }
            System.out.println("export of " + rows + " sessions (NDJSON) took " + Duration.between(started, Instant.now()));
            assertThat(rows).isEqualTo(SESSIONS);
            assertThat(server.isAlive()).as("the 128 MB server is still up").isTrue();

            HttpResponse<java.io.InputStream> csv = ExportFixtures.open(base, exportPath("ws-heap", "big", "format=csv"));
            long records;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(csv.body(), StandardCharsets.UTF_8))) {
                records = lines.lines().count();
            }
            assertThat(records).as("header + one line per session (no field holds a line break)").isEqualTo(SESSIONS + 1);
            assertThat(server.isAlive()).isTrue();
        } finally {
            server.destroy();
            if (!server.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void awaitStoreReady(Http http) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (http.get("/health/ready").status() != 200) {
            assertThat(Instant.now()).as("store ready again").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static URI awaitReady(Process server, Path log) throws Exception {
        Pattern ready = Pattern.compile("Intake API ready at (http://\\S+)");
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            List<String> lines = Files.readAllLines(log);
            for (String l : lines) {
                Matcher m = ready.matcher(l);
                if (m.find()) {
                    return URI.create(m.group(1));
                }
            }
            assertThat(server.isAlive()).as("child server exited: " + String.join("\n", lines)).isTrue();
            Thread.sleep(200);
        }
        throw new IllegalStateException("child server not ready: " + Files.readString(log));
    }
}
