package dev.intake.it;

import dev.intake.store.LocalClickHouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The real ClickHouse engine for the whole test run: the project's local engine, started once per test JVM on a
 * fresh data folder and stopped when the JVM exits. Test classes isolate themselves by database or workspace.
 */
final class Engine {
    private static LocalClickHouse engine;

    private Engine() {
    }

    static synchronized String jdbcUrl() {
        if (engine == null) {
            engine = start(Path.of(System.getProperty("it.data.dir", "target/it-data"), UUID.randomUUID().toString()));
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "stop-test-engine"));
        }
        return engine.jdbcUrl();
    }

    /** A separate engine with its own data folder, for tests that stop it. */
    static LocalClickHouse start(Path dataDir) {
        try {
            return LocalClickHouse.start(Path.of(System.getProperty("local.clickhouse.dir", "../local-clickhouse")),
                    dataDir, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
