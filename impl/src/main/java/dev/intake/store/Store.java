package dev.intake.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    public Store(DataSource dataSource, Duration queryTimeout, SchemaState schema) {
        this.dataSource = dataSource;
        this.queryTimeout = queryTimeout;
        this.schema = schema;
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
        Connection c = null;
        PreparedStatement ps = null;
        try {
            c = connection(timeout);
            ps = c.prepareStatement(sql.jdbcSql());
            ps.setQueryTimeout(seconds(timeout));
            bind(ps, sql, params);
            return new RowStream<>(sql, c, ps, ps.executeQuery(), reader, this::discard);
        } catch (SQLException | RuntimeException e) {
            StoreUnavailableException failure = unavailable(sql, ps,
                    e instanceof SQLException s ? s : new SQLException(e.getMessage(), e));
            closeQuietly(ps);
            closeQuietly(c);
            throw failure;
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

    /** Prepares the statement on a pooled connection, does the work, and classifies any failure once. */
    private <T> T run(Sql sql, Work<T> work) {
        try (Connection c = connection(queryTimeout); PreparedStatement ps = c.prepareStatement(sql.jdbcSql())) {
            ps.setQueryTimeout(seconds(queryTimeout));
            try {
                return work.on(ps);
            } catch (SQLException e) {
                throw unavailable(sql, ps, e);
            }
        } catch (SQLException e) {
            throw unavailable(sql, null, e);
        }
    }

    /**
     * A pooled connection with our network timeout. The pool puts the driver's network timeout back to what it
     * read at creation (0, no timeout) when a connection is returned or validated, so it is set again on every
     * borrow: a hanging server must not hold a request longer than the query timeout.
     */
    private Connection connection(Duration timeout) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis() + 500));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void requireSchema(Sql sql) {
        if (!schema.isApplied()) {
            throw new StoreUnavailableException("ClickHouse is not ready: " + schema.describe() + " (" + sql.name() + ")");
        }
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
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
