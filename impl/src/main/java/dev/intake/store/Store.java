package dev.intake.store;

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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the features' statements against ClickHouse. It is the one place that turns a driver failure into
 * {@link StoreUnavailableException} (a 503) and logs it with the statement name and the ClickHouse query id, and
 * the one place that refuses work until the schema is applied.
 */
public final class Store {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final DataSource dataSource;
    private final Duration queryTimeout;
    private final SchemaState schema;
    private final Semaphore connections;

    /**
     * @param connections the pool's size: at most this many statements run at once, and a request waits for its
     *                    turn only as long as its time budget (see {@link StoreBudget}) allows
     */
    public Store(DataSource dataSource, Duration queryTimeout, SchemaState schema, int connections) {
        this.dataSource = dataSource;
        this.queryTimeout = queryTimeout;
        this.schema = schema;
        this.connections = new Semaphore(connections, true);
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
        awaitTurn(sql, budgetDeadline());
        Connection c = null;
        PreparedStatement ps = null;
        try {
            long statementDeadline = System.nanoTime() + timeout.toNanos();
            c = connection(budgetDeadline(), statementDeadline, sql);
            ps = c.prepareStatement(sql.jdbcSql());
            ps.setQueryTimeout(timeoutSeconds(statementDeadline));
            bind(ps, sql, params);
            return new RowStream<>(sql, c, ps, ps.executeQuery(), reader, this::discard, connections::release);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(ps);
            closeQuietly(c);
            connections.release();
            if (e instanceof StoreUnavailableException failure) {
                throw failure;
            }
            throw unavailable(sql, ps, e instanceof SQLException s ? s : new SQLException(e.getMessage(), e));
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

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
    public void execute(Sql sql, Params params) {
        requireSchema(sql);
        executeUnchecked(sql, params);
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
            bind(ps, sql, params);
            return ps.execute();
        });
    }

    /** Like {@link #query} but usable before the schema exists. */
    <T> List<T> queryUnchecked(Sql sql, Params params, RowReader<T> reader) {
        return run(sql, ps -> {
            bind(ps, sql, params);
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
     * Prepares the statement on a pooled connection, does the work, and classifies any failure once. The wait for
     * a connection and the statement itself share what is left of the request's query timeout.
     */
    private <T> T run(Sql sql, Work<T> work) {
        long deadline = budgetDeadline();
        awaitTurn(sql, deadline);
        try (Connection c = connection(deadline, deadline, sql); PreparedStatement ps = c.prepareStatement(sql.jdbcSql())) {
            ps.setQueryTimeout(timeoutSeconds(deadline));
            try {
                return work.on(ps);
            } catch (SQLException e) {
                throw unavailable(sql, ps, e);
            }
        } catch (SQLException e) {
            throw unavailable(sql, null, e);
        } finally {
            connections.release();
        }
    }

    /** When the request's time budget for ClickHouse runs out (see {@link StoreBudget}). */
    private long budgetDeadline() {
        return StoreBudget.startedNanos(System.nanoTime()) + queryTimeout.toNanos();
    }

    /** Waits, until the deadline at most, for one of the pool's connections to be free for this statement. */
    private void awaitTurn(Sql sql, long deadline) {
        try {
            if (!connections.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw outOfTime(sql, "no ClickHouse connection became free");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw outOfTime(sql, "interrupted while waiting for a connection");
        }
    }

    /**
     * A pooled connection, borrowed by {@code borrowDeadline} at most, whose network timeout ends at
     * {@code statementDeadline}. The pool puts the driver's network timeout back to what it read at creation (0, no
     * timeout) when a connection is returned or validated, so it is set again on every borrow: a hanging server must
     * not hold a request longer than its timeout.
     */
    private Connection connection(long borrowDeadline, long statementDeadline, Sql sql) throws SQLException {
        Connection c = borrow(borrowDeadline);
        try {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(statementDeadline - System.nanoTime());
            if (leftMillis <= 0) {
                throw outOfTime(sql, "the connection came too late");
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

    private StoreUnavailableException outOfTime(Sql sql, String why) {
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

    private static void bind(PreparedStatement ps, Sql sql, Params params) throws SQLException {
        List<String> names = sql.parameterNames();
        for (int i = 0; i < names.size(); i++) {
            ps.setObject(i + 1, SqlValues.toDriverValue(params.get(names.get(i), sql.name())));
        }
    }

    static StoreUnavailableException unavailable(Sql sql, Statement statement, SQLException e) {
        String queryId = queryIdOf(statement);
        LOG.warn("ClickHouse statement {} failed (query id {}, error code {}, SQLState {}): {}",
                sql.name(), queryId, e.getErrorCode(), e.getSQLState(), e.getMessage());
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
