package dev.intake.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepared statements kept for reuse, per driver connection and statement text. The driver parses a statement's
 * whole text on every prepare, to find where its values go: for the sessions page's ~5 KB that is ~0.6 ms on these
 * machines, a third of what the API adds to the engine's time for a page. A statement prepared once per
 * connection is parsed once.
 *
 * <p>Statements are prepared on the driver's own connection, under the pool's proxy: the pool closes the statements
 * made through its proxy whenever the connection goes back, which would close every kept one. A statement is taken
 * out while it runs, so no two users ever share one, and given back only after a run that succeeded; a failed one
 * is closed, whatever state the failure left it in. A connection's statements are closed when the connection is
 * found closed (the pool retires connections after their lifetime), and beyond {@link #PER_CONNECTION} texts the
 * least recently used one is closed.
 */
final class PreparedStatements {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedStatements.class);
    /** Distinct texts kept per connection: the features' statements and the list's filter and sort shapes in use. */
    static final int PER_CONNECTION = 64;

    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new IdentityHashMap<>();

    /**
     * A statement for the text on this driver connection, prepared now unless one was kept; the caller owns it
     * until it gives it back or closes it.
     */
    PreparedStatement take(Connection driverConnection, String text) throws SQLException {
        synchronized (this) {
            Map<String, PreparedStatement> kept = byConnection.get(driverConnection);
            PreparedStatement ps = kept == null ? null : kept.remove(text);
            if (ps != null) {
                return ps;
            }
        }
        return prepare(driverConnection, text);
    }

    /**
     * Prepares a statement with JDBC escape processing off. With it on, the driver rewrites {@code {fn …}},
     * {@code {d '…'}} and {@code {ts '…'}} anywhere in the text it sends, inside the string literals it binds the
     * values into too: a span's text or a filter value holding one would change on its way. Our SQL uses none.
     */
    static PreparedStatement prepare(Connection c, String text) throws SQLException {
        PreparedStatement ps = c.prepareStatement(text);
        ps.setEscapeProcessing(false);
        return ps;
    }

    /** Keeps a statement that ran successfully for the next run of the same text on the same connection. */
    void giveBack(Connection driverConnection, String text, PreparedStatement ps) {
        try {
            ps.clearParameters();
            ps.clearBatch();
        } catch (SQLException | RuntimeException e) {
            close(ps);
            return;
        }
        PreparedStatement replaced;
        synchronized (this) {
            Map<String, PreparedStatement> kept = byConnection.get(driverConnection);
            if (kept == null) {
                closeStatementsOfClosedConnections();
                kept = new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                        if (size() > PER_CONNECTION) {
                            close(eldest.getValue());
                            return true;
                        }
                        return false;
                    }
                };
                byConnection.put(driverConnection, kept);
            }
            replaced = kept.put(text, ps);
        }
        if (replaced != null && replaced != ps) {
            close(replaced);
        }
    }

    /** Statements kept now, over all connections. */
    synchronized int kept() {
        return byConnection.values().stream().mapToInt(Map::size).sum();
    }

    private void closeStatementsOfClosedConnections() {
        for (Iterator<Map.Entry<Connection, Map<String, PreparedStatement>>> it = byConnection.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Connection, Map<String, PreparedStatement>> entry = it.next();
            if (isClosed(entry.getKey())) {
                entry.getValue().values().forEach(PreparedStatements::close);
                it.remove();
            }
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    static void close(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing a kept statement failed: {}", e.toString());
        }
    }
}
