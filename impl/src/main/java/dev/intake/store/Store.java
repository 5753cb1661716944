package dev.intake.store;

import com.clickhouse.client.api.ClientConfigProperties;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the features' statements against ClickHouse. It is the one place that classifies a driver failure (see
 * {@link #classify}: a 503 when ClickHouse is down, slow or out of capacity, a 500 when it refuses the statement)
 * and logs it with the statement name and the ClickHouse query id, the one place that refuses work until the
 * schema is applied, and the one place that tags every statement: its {@code query_id} starts with the id of the
 * HTTP request that sent it and its {@code log_comment} is the statement's name, so a line of
 * {@code system.query_log} leads to the request and to the {@code .sql} file.
 */
public final class Store {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /** ClickHouse's error code for a {@code throwIf} whose condition held. */
    static final int THROW_IF_VALUE_IS_NON_ZERO = 395;
    /** ClickHouse's default max_query_size, in bytes. */
    static final long DEFAULT_MAX_QUERY_SIZE = 262_144;
    private static final String MAX_QUERY_SIZE = "max_query_size";

    private final DataSource dataSource;
    private final Duration queryTimeout;
    private final SchemaState schema;
    private final Semaphore connections;
    private final StatementObserver observer;
    private final Supplier<String> currentRequestId;
    private final PreparedStatements statements = new PreparedStatements();

    /**
     * @param connections      the pool's size: at most this many statements run at once, and a request waits for
     *                         its turn only as long as its time budget (see {@link StoreBudget}) allows
     * @param observer         told of every statement's duration and failure
     * @param currentRequestId the id of the HTTP request this thread serves, or null outside a request
     */
    public Store(DataSource dataSource, Duration queryTimeout, SchemaState schema, int connections,
                 StatementObserver observer, Supplier<String> currentRequestId) {
        this.dataSource = dataSource;
        this.queryTimeout = queryTimeout;
        this.schema = schema;
        this.connections = new Semaphore(connections, true);
        this.observer = observer;
        this.currentRequestId = currentRequestId;
    }

    /** Runs a SELECT and reads every row. */
    public <T> List<T> query(Sql sql, Params params, RowReader<T> reader) {
        requireSchema(sql);
        return queryUnchecked(sql, params, reader);
    }

    /**
     * Runs a SELECT and returns its rows as they arrive, for a response that streams them; the caller must close
     * the result (that returns the connection to the pool). {@code timeout} replaces the query timeout, for a
     * statement that reads a whole experiment; it also bounds the wait for each part of the answer.
     */
    public <T> RowStream<T> stream(Sql sql, Params params, RowReader<T> reader, Duration timeout) {
        requireSchema(sql);
        // the wait for a connection counts against the request's budget like any statement's; the statement then
        // has the whole timeout of its own
        long now = System.nanoTime();
        awaitTurn(sql, budgetDeadline(now), now);
        Connection c = null;
        PreparedStatement ps = null;
        try {
            long statementDeadline = System.nanoTime() + timeout.toNanos();
            c = connection(budgetDeadline(now), statementDeadline, sql, now);
            ps = PreparedStatements.prepare(c, textSent(sql));
            ps.setQueryTimeout(timeoutSeconds(statementDeadline));
            tag(ps, sql);
            bindOnce(ps, sql, params);
            return new RowStream<>(sql, c, ps, ps.executeQuery(), reader, this::discard, connections::release,
                    observer, now);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(ps);
            closeQuietly(c);
            connections.release();
            if (e instanceof StoreUnavailableException || e instanceof StoreRejectedException) {
                throw (RuntimeException) e;
            }
            throw failed(sql, ps, e instanceof SQLException s ? s : new SQLException(e.getMessage(), e), now);
        }
    }

    /**
     * Takes a pooled connection out of the pool and closes the driver connection under it now: the driver's HTTP
     * client then closes its sockets at once, even mid-answer, instead of reading the answer to its end.
     */
    private void discard(Connection pooled) {
        try {
            if (dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(pooled);
            }
            pooled.unwrap(com.clickhouse.jdbc.ConnectionImpl.class).close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Discarding a connection failed: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("Closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
    public void execute(Sql sql, Params params) {
        requireSchema(sql);
        executeUnchecked(sql, params);
    }

    /**
     * Runs a statement that writes all or nothing and refuses with {@code throwIf} when its own condition does not
     * hold: a refusal is an answer, not a failure (no error logged or counted).
     *
     * @return false when the statement refused (ClickHouse's FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)
     */
    public boolean executeUnlessRefused(Sql sql, Params params) {
        requireSchema(sql);
        return run(sql, ps -> {
            bindOnce(ps, sql, params);
            try {
                ps.execute();
                return true;
            } catch (SQLException e) {
                if (e.getErrorCode() == THROW_IF_VALUE_IS_NON_ZERO) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Runs one INSERT for all rows: a single request to ClickHouse, never one per row. */
    public void insertBatch(Sql sql, List<Params> rows) {
        requireSchema(sql);
        if (rows.isEmpty()) {
            return;
        }
        run(sql, ps -> {
            for (Params row : rows) {
                bind(ps, sql, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        });
    }

    /** Like {@link #execute} but usable before the schema exists: migrations and probes use it. */
    void executeUnchecked(Sql sql, Params params) {
        run(sql, ps -> {
            bindOnce(ps, sql, params);
            return ps.execute();
        });
    }

    /** Like {@link #query} but usable before the schema exists. */
    <T> List<T> queryUnchecked(Sql sql, Params params, RowReader<T> reader) {
        return run(sql, ps -> {
            bindOnce(ps, sql, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
                return rows;
            }
        });
    }

    /** What to do with a prepared statement. */
    @FunctionalInterface
    private interface Work<T> {
        T on(PreparedStatement ps) throws SQLException;
    }

    /**
     * Takes the statement on a pooled connection (prepared once per connection and text, see
     * {@link PreparedStatements}), tags it, does the work, and classifies any failure once; the observer hears of
     * the statement either way. The wait for a connection and the statement itself share what is
     * left of the request's query timeout.
     */
    private <T> T run(Sql sql, Work<T> work) {
        long now = System.nanoTime();
        long deadline = budgetDeadline(now);
        awaitTurn(sql, deadline, now);
        try (Connection c = connection(deadline, deadline, sql, now)) {
            Connection driverConnection = c.unwrap(com.clickhouse.jdbc.ConnectionImpl.class);
            String text = textSent(sql);
            PreparedStatement ps = statements.take(driverConnection, text);
            boolean succeeded = false;
            try {
                ps.setQueryTimeout(timeoutSeconds(deadline));
                startRun(ps, deadline);
                tag(ps, sql);
                T result = work.on(ps);
                observer.succeeded(sql.name(), System.nanoTime() - now);
                succeeded = true;
                return result;
            } catch (SQLException e) {
                throw failed(sql, ps, e, now);
            } finally {
                if (succeeded) {
                    statements.giveBack(driverConnection, text, ps);
                } else {
                    PreparedStatements.close(ps);
                }
            }
        } catch (SQLException e) {
            throw failed(sql, null, e, now);
        } finally {
            connections.release();
        }
    }

    /**
     * Gives a statement, new or kept from an earlier run, the settings of this run only: its own network timeout,
     * ending at the deadline (the driver copies the connection's into a statement when it is prepared, so a kept
     * statement would otherwise wait on the socket as long as an earlier request was allowed to), and the default
     * text limit ({@link #bindOnce} raises it again for this run when its values need it).
     */
    private static void startRun(PreparedStatement ps, long deadline) throws SQLException {
        long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        com.clickhouse.client.api.query.QuerySettings settings =
                ps.unwrap(com.clickhouse.jdbc.StatementImpl.class).getLocalSettings();
        settings.setNetworkTimeout(leftMillis, java.time.temporal.ChronoUnit.MILLIS);
        settings.resetOption(ClientConfigProperties.serverSetting(MAX_QUERY_SIZE));
    }

    /**
     * Sets the statement's {@code query_id} to {@code <request id>:<random>} ({@code background:<random>} outside a
     * request) and its {@code log_comment} to the statement name. The random part keeps ids unique: ClickHouse
     * refuses a second running query with the same id, and a client may send the same request id twice.
     */
    private void tag(PreparedStatement ps, Sql sql) throws SQLException {
        String requestId = currentRequestId.get();
        String random = UUID.randomUUID().toString().substring(0, 8);
        ps.unwrap(com.clickhouse.jdbc.StatementImpl.class).getLocalSettings()
                .setQueryId((requestId == null ? "background" : requestId) + ":" + random)
                .serverSetting("log_comment", sql.name());
    }

    /**
     * The text sent for a statement: its name on the first line, then the statement. With the {@code log_comment}
     * setting (see {@link #tag}), this is how every statement is tagged, in one place: the name is in
     * {@code system.query_log}'s {@code query} and {@code system.processes} too, and in the request body, where a
     * proxy in front of ClickHouse (or a capture of its traffic) recognizes the statement.
     */
    static String textSent(Sql sql) {
        return "-- " + sql.name() + "\n" + sql.wireSql();
    }

    private RuntimeException failed(Sql sql, Statement statement, SQLException e, long started) {
        StoreFailure failure = StoreFailure.of(e);
        observer.failed(sql.name(), System.nanoTime() - started, failure);
        return classify(sql, statement, e, failure);
    }

    /** When the request's time budget for ClickHouse runs out (see {@link StoreBudget}). */
    private long budgetDeadline(long now) {
        return StoreBudget.startedNanos(now) + queryTimeout.toNanos();
    }

    /** Waits, until the deadline at most, for one of the pool's connections to be free for this statement. */
    private void awaitTurn(Sql sql, long deadline, long started) {
        try {
            if (!connections.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw outOfTime(sql, "no ClickHouse connection became free", started);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw outOfTime(sql, "interrupted while waiting for a connection", started);
        }
    }

    /**
     * A pooled connection, borrowed by {@code borrowDeadline} at most, whose network timeout ends at
     * {@code statementDeadline}. The pool puts the driver's network timeout back to what it read at creation (0, no
     * timeout) when a connection is returned or validated, so it is set again on every borrow: a hanging server must
     * not hold a request longer than its timeout.
     */
    private Connection connection(long borrowDeadline, long statementDeadline, Sql sql, long started)
            throws SQLException {
        Connection c = borrow(borrowDeadline);
        try {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(statementDeadline - System.nanoTime());
            if (leftMillis <= 0) {
                throw outOfTime(sql, "the connection came too late", started);
            }
            c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, leftMillis));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * A connection from the pool, waiting no longer than the deadline: the pool may have to make one (a slow store
     * is slow to connect too), and its own connection timeout knows nothing of the request's budget.
     */
    private Connection borrow(long deadline) throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            return pool.getConnection(Math.max(1, leftMillis));
        }
        return dataSource.getConnection();
    }

    /** The statement is not run: the request's time is up before it could start (counted as a timeout). */
    private StoreUnavailableException outOfTime(Sql sql, String why, long started) {
        observer.failed(sql.name(), System.nanoTime() - started, StoreFailure.TIMEOUT);
        LOG.warn("ClickHouse statement {} not run: {} within the query timeout of {} ms", sql.name(), why,
                queryTimeout.toMillis());
        return new StoreUnavailableException("ClickHouse is too busy: " + why + " within the query timeout ("
                + sql.name() + ")");
    }

    private void requireSchema(Sql sql) {
        if (!schema.isApplied()) {
            throw new StoreUnavailableException("ClickHouse is not ready: " + schema.describe() + " (" + sql.name() + ")");
        }
    }

    /** The server-side limit (whole seconds, rounded up); the network timeout cuts off at the deadline itself. */
    private static int timeoutSeconds(long deadline) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, (leftMillis + 999) / 1000);
    }

    private static void bind(PreparedStatement ps, Sql sql, Params params) throws SQLException {
        List<String> names = sql.parameterNames();
        for (int i = 0; i < names.size(); i++) {
            ps.setObject(i + 1, SqlValues.toDriverValue(params.get(names.get(i), sql.name())));
        }
    }

    /**
     * Binds a statement that runs once ({@link #bind}), and sizes its text limit: the driver sends values as
     * literals in the statement's text, which ClickHouse parses only up to max_query_size (256 KiB by default), so a
     * statement carrying long texts (a group's first-ingest rows) gets a limit above its own size instead of a
     * refusal. An INSERT's VALUES are data, not text, so {@link #insertBatch} binds its rows without this.
     */
    private static void bindOnce(PreparedStatement ps, Sql sql, Params params) throws SQLException {
        bind(ps, sql, params);
        long bound = textBytesBound(sql, params);
        if (bound > DEFAULT_MAX_QUERY_SIZE) {
            ps.unwrap(com.clickhouse.jdbc.StatementImpl.class).getLocalSettings()
                    .serverSetting(MAX_QUERY_SIZE, Long.toString(bound));
        }
    }

    /**
     * An upper bound of the statement's text in bytes once its values are written as literals: three UTF-8 bytes
     * per character (an escaped character takes two characters of at most one byte each), plus room for quotes,
     * separators and the digits of numbers and instants.
     */
    static long textBytesBound(Sql sql, Params params) {
        long bytes = 3L * (sql.name().length() + sql.wireSql().length() + 4);
        for (String name : sql.parameterNames()) {
            bytes += Params.textBound(params.get(name, sql.name()));
        }
        return bytes;
    }

    /**
     * The one classification of store failures ({@link StoreFailure#of}). ClickHouse refusing the statement (a
     * server error code that is not transient: syntax, types, conversions, unknown tables or columns) is a
     * {@link StoreRejectedException}, logged at ERROR: a broken statement must not look like an outage. Everything
     * else (connection refused or lost, driver or server timeouts, pool exhaustion, memory and capacity limits) is
     * a {@link StoreUnavailableException}, logged at WARN: the same request may succeed later.
     */
    static RuntimeException classify(Sql sql, Statement statement, SQLException e) {
        return classify(sql, statement, e, StoreFailure.of(e));
    }

    private static RuntimeException classify(Sql sql, Statement statement, SQLException e, StoreFailure failure) {
        String queryId = queryIdOf(statement);
        if (failure == StoreFailure.REJECTED) {
            LOG.error("ClickHouse rejected statement {} (query id {}, error code {}, SQLState {}): {}",
                    sql.name(), queryId, e.getErrorCode(), e.getSQLState(), e.getMessage());
            return new StoreRejectedException("ClickHouse rejected " + sql.name() + " (query id " + queryId
                    + ", error code " + e.getErrorCode() + ")", e);
        }
        LOG.warn("ClickHouse statement {} failed ({}; query id {}, error code {}, SQLState {}): {}",
                sql.name(), failure.label(), queryId, e.getErrorCode(), e.getSQLState(), e.getMessage());
        return new StoreUnavailableException("ClickHouse did not answer " + sql.name() + " (query id " + queryId + ")", e);
    }

    private static String queryIdOf(Statement statement) {
        if (statement == null) {
            return "none";
        }
        try {
            com.clickhouse.jdbc.StatementImpl impl = statement.unwrap(com.clickhouse.jdbc.StatementImpl.class);
            String id = impl.getLastQueryId();
            return id == null ? "none" : id;
        } catch (SQLException | RuntimeException e) {
            return "unknown";
        }
    }
}
