package dev.intake.store;

import com.clickhouse.jdbc.DataSourceImpl;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/** Builds the connection pool over the ClickHouse JDBC driver. */
public final class ClickHouseDataSources {
    /** The driver's prefix for a property that is sent to the server as a setting of every statement. */
    private static final String SERVER_SETTING = "clickhouse_setting_";

    private ClickHouseDataSources() {
    }

    /**
     * A pool whose connections use {@code database}. It starts even when ClickHouse is down
     * ({@code initializationFailTimeout = -1}); a request then fails fast after {@code connectTimeout}.
     *
     * @param database the default database, or null for the server's default (used to create the database)
     * @param cluster  whether the store is a cluster of shards and replicas (see {@link #CLUSTER_SETTINGS})
     * @param metrics  where the pool reports its connections (active, idle, pending) and wait times; null for nowhere
     */
    public static HikariDataSource pool(String jdbcUrl, String user, String password, String database,
                                        Duration connectTimeout, Duration queryTimeout, int size, String name,
                                        boolean cluster, MetricsTrackerFactory metrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setMetricsTrackerFactory(metrics);
        config.setDataSource(openMeansValid(driver(jdbcUrl, user, password, database, connectTimeout, queryTimeout,
                cluster)));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 2));
        // Store admits no more statements than there are connections, so a borrow waits only while a connection
        // is being (re)made; never longer than a statement may take.
        config.setConnectionTimeout(Math.max(250, Math.min(connectTimeout.toMillis(), queryTimeout.toMillis())));
        config.setValidationTimeout(Math.max(250, connectTimeout.toMillis()));
        config.setMaxLifetime(300_000);
        if (size > 2) {
            config.setIdleTimeout(60_000);
        }
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /**
     * Server settings of every statement on a cluster, where the service reads what it has just written (a create
     * reads which claim won; ingest recomputes the session index from the spans it has just inserted; a page
     * follows an ingest's 201): an insert into a Distributed table returns only once the shards have it, and only
     * once a majority of the shard's replicas have it; a read is served only by a replica that has every
     * quorum-acknowledged insert. Without them a 201 could be followed by a read that does not see it.
     */
    static final Map<String, String> CLUSTER_SETTINGS = Map.of(
            "distributed_foreground_insert", "1",
            "insert_quorum", "auto",
            "insert_quorum_parallel", "0",
            "select_sequential_consistency", "1");

    /**
     * A driver connection is a stateless HTTP client that reconnects by itself: it is usable while it is open. The
     * pool asks {@code isValid} before lending a connection that was idle for a moment, and to keep idle ones alive;
     * the driver answers with a round trip (and its ping ignores our timeouts), which buys nothing. These
     * connections answer from their open state instead; everything else goes to the driver.
     */
    static DataSource openMeansValid(DataSource driver) {
        return proxy(DataSource.class, (method, args) -> {
            Object result = method.invoke(driver, args);
            return result instanceof Connection c ? openMeansValid(c) : result;
        });
    }

    private static Connection openMeansValid(Connection driver) {
        return proxy(Connection.class, (method, args) -> method.getName().equals("isValid")
                ? !driver.isClosed() : method.invoke(driver, args));
    }

    /** A call on a proxy, answered by the driver or in its place. */
    private interface Call {
        Object answer(Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Call call) {
        return type.cast(Proxy.newProxyInstance(ClickHouseDataSources.class.getClassLoader(), new Class<?>[]{type},
                (self, method, args) -> {
                    try {
                        return call.answer(method, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    private static DataSource driver(String jdbcUrl, String user, String password, String database,
                                     Duration connectTimeout, Duration queryTimeout, boolean cluster) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        if (database != null) {
            p.setProperty("database", database);
        }
        p.setProperty("connection_timeout", Long.toString(connectTimeout.toMillis()));
        // A hanging server must not hold a request longer than the query timeout: the socket gives up a little after
        // the server-side max_execution_time (set per statement) would have.
        p.setProperty("socket_timeout", Long.toString(queryTimeout.toMillis() + 500));
        // One retry, and only for a kept-alive connection the server had already closed: retrying a failing or
        // slow server would multiply the time a client waits for its 503.
        p.setProperty("retry", "1");
        p.setProperty("client_retry_on_failures", "NoHttpResponse");
        if (cluster) {
            CLUSTER_SETTINGS.forEach((setting, value) -> p.setProperty(SERVER_SETTING + setting, value));
        }
        try {
            return new DataSourceImpl(jdbcUrl, p);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CLICKHOUSE_URL is not a usable ClickHouse JDBC URL: " + e.getMessage(), e);
        }
    }
}
