package dev.intake.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one statement, read one at a time as ClickHouse sends them (the driver decodes the HTTP response as
 * it arrives), so memory does not grow with the number of rows. It holds a pooled connection until closed: close it
 * as soon as the rows are no longer wanted (done, failed, or the client went away), which also drops the rest of
 * the response.
 */
public final class RowStream<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RowStream.class);

    private final Sql sql;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final RowReader<T> reader;
    private final Consumer<Connection> discard;
    private final Runnable release;
    private final StatementObserver observer;
    private final long startedNanos;
    private T current;
    private boolean exhausted;
    private boolean closed;

    /**
     * @param discard drops a connection whose answer is not fully read (see {@link #close})
     * @param release gives the statement's turn back to the store, once everything is closed
     * @param observer     told once the last row is read or reading fails (a stream the client left is neither)
     * @param startedNanos when the store asked the pool for the connection
     */
    RowStream(Sql sql, Connection connection, PreparedStatement statement, ResultSet rows, RowReader<T> reader,
              Consumer<Connection> discard, Runnable release, StatementObserver observer, long startedNanos) {
        this.sql = sql;
        this.observer = observer;
        this.startedNanos = startedNanos;
        this.discard = discard;
        this.release = release;
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.reader = reader;
    }

    /**
     * Moves to the next row.
     *
     * @return false after the last row
     * @throws StoreUnavailableException when the store fails or the connection breaks mid-stream (or
     *     {@link StoreRejectedException} when ClickHouse refuses the statement)
     */
    public boolean next() {
        try {
            if (!rows.next()) {
                current = null;
                exhausted = true;
                observer.succeeded(sql.name(), System.nanoTime() - startedNanos);
                return false;
            }
            current = reader.read(rows);
            return true;
        } catch (SQLException e) {
            throw failed(e);
        } catch (RuntimeException e) {
            // the driver reports a response that breaks off mid-row as an unchecked exception
            throw failed(new SQLException(e.getMessage(), e));
        }
    }

    private RuntimeException failed(SQLException e) {
        observer.failed(sql.name(), System.nanoTime() - startedNanos, StoreFailure.of(e));
        return Store.classify(sql, statement, e);
    }

    /** The row {@link #next()} moved to. */
    public T row() {
        return current;
    }

    /**
     * Closes the result, the statement and the connection (back to the pool); safe to call more than once. Closing
     * a half-read result makes the driver read the rest of ClickHouse's answer first (to reuse its HTTP connection),
     * which for an export the client left can be most of the export; so a connection whose answer is not fully read
     * is dropped instead (its sockets close at once, the pool opens a new one).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!exhausted) {
            discard.accept(connection);
        }
        for (AutoCloseable c : new AutoCloseable[] {rows, statement, connection}) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("Closing {} of {} failed: {}", c.getClass().getSimpleName(), sql.name(), e.toString());
            }
        }
        release.run();
    }
}
