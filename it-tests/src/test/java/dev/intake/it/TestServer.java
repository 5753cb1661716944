package dev.intake.it;

import dev.intake.App;
import dev.intake.config.AppConfig;
import dev.intake.sdk.ApiClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The real service, in process, on a free port, with every response checked against the spec. */
final class TestServer implements AutoCloseable {
    private static TestServer shared;

    private final App app;
    private final String database;
    private final String jdbcUrl;

    private TestServer(App app, String database, String jdbcUrl) {
        this.app = app;
        this.database = database;
        this.jdbcUrl = jdbcUrl;
    }

    /** The server most tests share: the shared engine, a database of its own, authentication disabled. */
    static synchronized TestServer shared() {
        if (shared == null) {
            shared = start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl()));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-test-server"));
        }
        return shared;
    }

    /** A server of its own with some variables set (CLICKHOUSE_URL among them); a fresh database by default. */
    static TestServer start(Map<String, String> env) {
        Map<String, String> vars = new HashMap<>();
        vars.put("PORT", "0");
        vars.put("CLICKHOUSE_DATABASE", "it_" + UUID.randomUUID().toString().replace("-", ""));
        // A request's statements share one query timeout; the shared engine runs one statement at a time for every
        // test class at once, so a busy moment must not look like an outage.
        vars.put("CLICKHOUSE_QUERY_TIMEOUT_MS", "10000");
        vars.put("CLICKHOUSE_CONNECT_TIMEOUT_MS", "1000");
        vars.putAll(env);
        AppConfig config = AppConfig.from(vars);
        try {
            App app = App.start(config, fatal -> {
                throw new IllegalStateException(fatal);
            }, List.of(new ContractRecorder()));
            return new TestServer(app, config.clickhouseDatabase(), vars.get("CLICKHOUSE_URL"));
        } catch (Exception e) {
            throw new IllegalStateException("Test server did not start", e);
        }
    }

    /** A server whose ClickHouse URL points at a port nothing listens on: every store access is a 503. */
    static TestServer withStoreDown() {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return start(Map.of("CLICKHOUSE_URL", "jdbc:clickhouse://127.0.0.1:" + deadPort + "?compress=false",
                "CLICKHOUSE_CONNECT_TIMEOUT_MS", "300"));
    }

    /** A server on the shared engine that refuses bodies over {@code maxBodyBytes} (413). */
    static TestServer withBodyLimit(int maxBodyBytes) {
        return start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "MAX_BODY_BYTES", String.valueOf(maxBodyBytes)));
    }

    URI baseUri() {
        return app.baseUri();
    }

    /** Another server on this one's database (another instance sharing the store), ready. */
    TestServer sameStore(Map<String, String> env) {
        Map<String, String> sameDatabase = new java.util.HashMap<>(env);
        sameDatabase.put("CLICKHOUSE_DATABASE", database());
        return start(sameDatabase).awaitReady(java.time.Duration.ofSeconds(60));
    }

    /** Closes the servers that were started, last first. */
    static void closeAll(TestServer... servers) {
        for (int i = servers.length - 1; i >= 0; i--) {
            if (servers[i] != null) {
                servers[i].close();
            }
        }
    }

    String database() {
        return database;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** The SDK generated from the spec, pointed at this server. */
    ApiClient sdk() {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri().toString());
        client.setReadTimeout(Duration.ofSeconds(30));
        return client;
    }

    Http http() {
        return new Http(baseUri());
    }

    /** Waits until /health/ready answers 200. */
    TestServer awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (http().get("/health/ready").status() == 200) {
                return this;
            }
            sleep(100);
        }
        throw new IllegalStateException("Server not ready within " + timeout);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
