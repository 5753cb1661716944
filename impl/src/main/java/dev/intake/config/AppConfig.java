package dev.intake.config;

import java.nio.file.Path;
import java.time.Duration;
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
        AuthConfig auth,
        Optional<String> clickhouseCluster) {

    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern CLUSTER = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");

    /** Reads the configuration from the process environment. */
    public static AppConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the configuration from the given variables (tests pass their own map). */
    public static AppConfig from(Map<String, String> env) {
        Env e = new Env(env);
        String database = e.string("CLICKHOUSE_DATABASE", "intake");
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new ConfigException("CLICKHOUSE_DATABASE must match " + IDENTIFIER.pattern() + ", got '" + database + "'");
        }
        return new AppConfig(
                e.string("BIND_HOST", "127.0.0.1"),
                e.intInRange("PORT", 8080, 0, 65535),
                e.optional("CLICKHOUSE_URL"),
                e.string("CLICKHOUSE_USER", "default"),
                e.string("CLICKHOUSE_PASSWORD", ""),
                database,
                Duration.ofMillis(e.intInRange("CLICKHOUSE_QUERY_TIMEOUT_MS", 5000, 100, 600_000)),
                Duration.ofMillis(e.intInRange("CLICKHOUSE_EXPORT_TIMEOUT_MS", 600_000, 100, 86_400_000)),
                Duration.ofMillis(e.intInRange("CLICKHOUSE_CONNECT_TIMEOUT_MS", 2000, 100, 60_000)),
                e.intInRange("CLICKHOUSE_POOL_SIZE", 8, 1, 256),
                Path.of(e.string("DATA_DIR", ".data")).toAbsolutePath(),
                Path.of(e.string("LOCAL_CLICKHOUSE_DIR", "local-clickhouse")).toAbsolutePath(),
                e.optional("RETENTION_DAYS").map(v -> e.intInRange("RETENTION_DAYS", 0, 1, 36_500)),
                e.longInRange("MAX_BODY_BYTES", 10L * 1024 * 1024, 1024, 1L << 30),
                AuthConfig.from(e),
                e.optional("CLICKHOUSE_CLUSTER").map(c -> {
                    if (!CLUSTER.matcher(c).matches()) {
                        throw new ConfigException("CLICKHOUSE_CLUSTER must match " + CLUSTER.pattern() + ", got '" + c + "'");
                    }
                    return c;
                }));
    }

    /** Thrown when a variable is malformed; its message names the variable. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
