package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.store.LocalClickHouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service as {@code bin/serve} runs it (the server jar, a child process, its own local engine): kill -9 of the
 * API does not orphan the engine, and the next start comes up by itself on the same data, waiting if need be for
 * a predecessor's engine that is still stopping.
 */
class ProcessCrashIT {
    private static final Map<Process, Integer> PORTS = new ConcurrentHashMap<>();

    @Test
    void killMinus9OfTheApiStopsTheEngineAndARestartComesUp() throws Exception {
        Path data = Path.of(System.getProperty("it.data.dir", "target/it-data"), "crash-" + UUID.randomUUID()).toAbsolutePath();
        Process first = startService(data);
        Process second = null;
        try {
            URI base = awaitReady(first);
            Http http = new Http(base);
            Experiments.create(http, "crash", "kept");
            ProcessHandle engine = first.toHandle().children()
                    .filter(c -> c.info().command().orElse("").contains("node")).findFirst().orElseThrow();

            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.onExit()).as("the engine outlived the API").succeedsWithin(Duration.ofSeconds(15));

            second = startService(data);
            Http again = new Http(awaitReady(second));
            assertThat(again.get("/apis/intake/v2/workspaces/crash/experiments/kept").status()).isEqualTo(200);
        } finally {
            stop(first);
            stop(second);
        }
    }

    @Test
    void aStartWaitsForAPredecessorStillHoldingTheDataDir() throws Exception {
        Path data = Path.of(System.getProperty("it.data.dir", "target/it-data"), "held-" + UUID.randomUUID()).toAbsolutePath();
        Path program = Path.of(System.getProperty("local.clickhouse.dir", "../local-clickhouse"));
        LocalClickHouse predecessor = LocalClickHouse.start(program, data, Duration.ofSeconds(60));
        CompletableFuture<LocalClickHouse> successor = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalClickHouse.start(program, data, Duration.ofSeconds(60));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            Thread.sleep(1500); // the successor's engine is refused the data dir meanwhile, and tries again
            assertThat(successor).isNotDone();
            predecessor.close();
            LocalClickHouse next = successor.get(60, TimeUnit.SECONDS);
            next.close();
        } finally {
            predecessor.close();
            successor.thenAccept(LocalClickHouse::close);
        }
    }

    static Process startService(Path data) throws IOException {
        Files.createDirectories(data);
        Path jar;
        try (var jars = Files.list(Path.of("..", "impl", "target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("impl-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("impl/target/impl-*-all.jar is not built"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("service.log").toFile()));
        pb.environment().remove("CLICKHOUSE_URL");
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("DATA_DIR", data.toString());
        pb.environment().put("LOCAL_CLICKHOUSE_DIR",
                Path.of(System.getProperty("local.clickhouse.dir", "../local-clickhouse")).toAbsolutePath().toString());
        Process p = pb.start();
        PORTS.put(p, port);
        return p;
    }

    static URI awaitReady(Process service) {
        URI base = URI.create("http://127.0.0.1:" + PORTS.get(service));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            assertThat(service.isAlive()).as("the service exited with %s", service.isAlive() ? "" : service.exitValue()).isTrue();
            try {
                if (new Http(base).get("/health/ready").status() == 200) {
                    return base;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            TestServer.sleep(200);
        }
        throw new IllegalStateException("the service did not become ready");
    }

    static void stop(Process service) throws InterruptedException {
        if (service == null) {
            return;
        }
        List<ProcessHandle> children = service.toHandle().descendants().toList();
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly();
        }
        children.forEach(c -> c.onExit().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> {
            c.destroyForcibly();
            return c;
        }).join());
    }
}
