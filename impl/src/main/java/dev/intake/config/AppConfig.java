package dev.intake.config;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting of the service, read once from the environment. Defaults suit a developer laptop; a bad value stops
 * start-up with a message naming the variable.
 */
public record AppConfig(
        String bindHost,
        int port,
        Optional<String> clickhouseUrl,
        String clickhouseUser,
        String clickhousePassword,
        String clickhouseDatabase,
        Duration queryTimeout,
        Duration exportTimeout,
        Duration connectTimeout,
        int poolSize,
        Path dataDir,
        Path localClickhouseDir,
        Optional<Integer> retentionDays,
        long maxBodyBytes,
        Duration shutdownGrace,
        AuthConfig auth,
        Optional<String> clickhouseCluster,
        Optional<String> cursorSecret,
        long answerCacheBytes) {

    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern CLUSTER = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");

    /** Reads the configuration from the process environment. */
    public static AppConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the configuration from the given variables (tests pass their own map). */
    public static AppConfig from(Map<String, String> env) {
        Env e = new Env(env);
        // Logback reads LOG_FORMAT itself (logback.xml) before anything else runs; a value it does not know would
        // silently leave the service without logs, so it is checked here with the other variables.
        e.optional("LOG_FORMAT").filter(f -> !f.equals("json") && !f.equals("text")).ifPresent(f -> {
            throw new ConfigException("LOG_FORMAT must be 'json' or 'text', got '" + f + "'");
        });
        String database = e.string("CLICKHOUSE_DATABASE", "intake");
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new ConfigException("CLICKHOUSE_DATABASE must match " + IDENTIFIER.pattern() + ", got '" + database + "'");
        }
        return new AppConfig(
                e.string("BIND_HOST", "127.0.0.1"),
                e.intInRange("PORT", 8080, 0, 65535),
                e.optional("CLICKHOUSE_URL").map(AppConfig::clickhouseJdbcUrl),
                e.string("CLICKHOUSE_USER", "default"),
                e.string("CLICKHOUSE_PASSWORD", ""),
                database,
                Duration.ofMillis(e.intInRange("CLICKHOUSE_QUERY_TIMEOUT_MS", 5000, 100, 600_000)),
                Duration.ofMillis(e.intInRange("CLICKHOUSE_EXPORT_TIMEOUT_MS", 600_000, 100, 86_400_000)),
                Duration.ofMillis(e.intInRange("CLICKHOUSE_CONNECT_TIMEOUT_MS", 2000, 100, 60_000)),
                e.intInRange("CLICKHOUSE_POOL_SIZE", 16, 1, 256),
                Path.of(e.string("DATA_DIR", ".data")).toAbsolutePath(),
                Path.of(e.string("LOCAL_CLICKHOUSE_DIR", "local-clickhouse")).toAbsolutePath(),
                e.optional("RETENTION_DAYS").map(v -> e.intInRange("RETENTION_DAYS", 0, 1, 36_500)),
                e.longInRange("MAX_BODY_BYTES", 10L * 1024 * 1024, 1024, 1L << 30),
                Duration.ofMillis(e.intInRange("SHUTDOWN_GRACE_MS", 10_000, 0, 300_000)),
                AuthConfig.from(e),
                e.optional("CLICKHOUSE_CLUSTER").map(c -> {
                    if (!CLUSTER.matcher(c).matches()) {
                        throw new ConfigException("CLICKHOUSE_CLUSTER must match " + CLUSTER.pattern() + ", got '" + c + "'");
                    }
                    return c;
                }),
                cursorSecret(e),
                e.intInRange("ANSWER_CACHE_MB", 64, 0, 65_536) * 1024L * 1024L);
    }

    /** The key that signs session-list cursors: every instance serving the same clients needs the same one. */
    private static Optional<String> cursorSecret(Env e) {
        Optional<String> secret = e.optional("CURSOR_SECRET");
        if (secret.isPresent() && secret.get().length() < 16) {
            throw new ConfigException("CURSOR_SECRET must be at least 16 characters long");
        }
        return secret;
    }

    /**
     * A URL the ClickHouse driver accepts and that names a server: {@code jdbc:nonsense} or {@code jdbc:clickhouse:}
     * would otherwise leave the service "not ready" forever without saying why.
     */
    private static String clickhouseJdbcUrl(String url) {
        String problem = null;
        try {
            if (!new com.clickhouse.jdbc.Driver().acceptsURL(url)) {
                problem = "it is not a ClickHouse JDBC URL";
            } else {
                // After "jdbc:clickhouse:" or "jdbc:ch:" comes "//host[:port]..." or "http(s)://host[:port]...".
                String rest = url.substring(url.indexOf(':', "jdbc:".length()) + 1);
                URI server = URI.create(rest.startsWith("//") ? "http:" + rest : rest);
                if (server.getHost() == null || !List.of("http", "https").contains(server.getScheme())) {
                    problem = "it names no server";
                }
            }
        } catch (SQLException | IllegalArgumentException e) {
            problem = "it does not parse (" + e.getMessage() + ")";
        }
        if (problem != null) {
            throw new ConfigException("CLICKHOUSE_URL must be a ClickHouse JDBC URL such as "
                    + "jdbc:clickhouse://host:8123, got '" + url + "': " + problem);
        }
        return url;
    }

    /** Thrown when a variable is malformed; its message names the variable. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
