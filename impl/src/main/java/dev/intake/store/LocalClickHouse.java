package dev.intake.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: starts the project's local ClickHouse engine ({@code local-clickhouse/server.js},
 * chDB behind ClickHouse's HTTP interface) as a child process on a free loopback port, and stops it with us.
 */
public final class LocalClickHouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalClickHouse.class);

    /** The engine's exit status when another process holds its data dir (EX_TEMPFAIL: worth retrying). */
    private static final int DATA_DIR_LOCKED = 75;

    private final Process process;
    private final int port;
    private volatile boolean closing;

    private LocalClickHouse(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the engine and waits until it answers {@code /ping}.
     *
     * @param programDir folder holding {@code server.js} and its installed {@code node_modules}
     * @param dataDir    folder for the engine's data (created if missing)
     */
    public static LocalClickHouse start(Path programDir, Path dataDir, Duration startTimeout) throws IOException {
        return start(programDir, dataDir, freePort(), startTimeout);
    }

    /**
     * Calls {@code onExit} with a message if the engine stops without being closed (it crashed, or a Ctrl-C reached
     * it first): the service and its embedded engine live and stop together.
     */
    public LocalClickHouse onUnexpectedExit(java.util.function.Consumer<String> onExit) {
        process.onExit().thenAccept(p -> {
            if (!closing) {
                onExit.accept("The local ClickHouse engine stopped (exit code " + p.exitValue() + ")");
            }
        });
        return this;
    }

    /** Same, on a given port (a restart on the port clients already use). */
    public static LocalClickHouse start(Path programDir, Path dataDir, int port, Duration startTimeout) throws IOException {
        Path server = programDir.resolve("server.js");
        if (!Files.isRegularFile(server) || !Files.isDirectory(programDir.resolve("node_modules"))) {
            throw new IOException("The local ClickHouse engine is not installed in " + programDir
                    + " (run `npm install` there, or use bin/serve, or set CLICKHOUSE_URL)");
        }
        Files.createDirectories(dataDir);
        ProcessBuilder pb = new ProcessBuilder("node", server.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("local-clickhouse.log").toFile()));
        pb.environment().put("LOCAL_CLICKHOUSE_PORT", Integer.toString(port));
        pb.environment().put("LOCAL_CLICKHOUSE_HOST", "127.0.0.1");
        pb.environment().put("DATA_DIR", dataDir.resolve("clickhouse").toString());
        // The engine stops by itself when this process dies, however it dies (kill -9 included).
        pb.environment().put("LOCAL_CLICKHOUSE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        Instant deadline = Instant.now().plus(startTimeout);
        while (true) {
            Process process = pb.start();
            LocalClickHouse engine = new LocalClickHouse(process, port);
            try {
                engine.awaitPing(Duration.between(Instant.now(), deadline), dataDir);
                LOG.info("Local ClickHouse engine started on 127.0.0.1:{} (pid {}), data in {}", port, process.pid(), dataDir);
                return engine;
            } catch (IOException e) {
                // The engine of a crashed predecessor may still be stopping and holding the data dir: wait for it.
                if (process.isAlive() || process.exitValue() != DATA_DIR_LOCKED || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                LOG.info("The local ClickHouse data dir {} is still held by another process; retrying", dataDir);
                sleep(250);
            }
        }
    }

    /** The loopback port the engine listens on. */
    public int port() {
        return port;
    }

    /** JDBC URL of the engine; it speaks HTTP without compression. */
    public String jdbcUrl() {
        return "jdbc:clickhouse://127.0.0.1:" + port + "?compress=false";
    }

    private void awaitPing(Duration timeout, Path dataDir) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                .timeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("The local ClickHouse engine exited with code " + process.exitValue()
                        + "; see " + dataDir.resolve("local-clickhouse.log"));
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for the local ClickHouse engine", e);
            }
            sleep(100);
        }
        close();
        throw new IOException("The local ClickHouse engine did not answer within " + timeout.toSeconds() + " s");
    }

    /** Stops the engine with SIGTERM (it finishes the running statement and releases its data folder). */
    @Override
    public void close() {
        closing = true;
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                LOG.warn("Local ClickHouse engine did not stop within 15 s; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Local ClickHouse engine stopped");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
