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
    private T current;
    private boolean exhausted;
    private boolean closed;

    /**
     * @param discard drops a connection whose answer is not fully read (see {@link #close})
     * @param release gives the statement's turn back to the store, once everything is closed
     */
    RowStream(Sql sql, Connection connection, PreparedStatement statement, ResultSet rows, RowReader<T> reader,
              Consumer<Connection> discard, Runnable release) {
        this.sql = sql;
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
     * @throws StoreUnavailableException when the store fails or the connection breaks mid-stream
     */
    public boolean next() {
        try {
            if (!rows.next()) {
                current = null;
                exhausted = true;
                return false;
            }
            current = reader.read(rows);
            return true;
        } catch (SQLException e) {
            throw Store.unavailable(sql, statement, e);
        } catch (RuntimeException e) {
            // the driver reports a response that breaks off mid-row as an unchecked exception
            throw Store.unavailable(sql, statement, new SQLException(e.getMessage(), e));
        }
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
