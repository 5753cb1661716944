package dev.intake.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/** The kinds of store failure an operator tells apart: ClickHouse down, too slow, or refusing the statement. */
public enum StoreFailure {
    /** No connection, or the connection broke: ClickHouse (or the network to it) is down. */
    UNAVAILABLE,
    /** The statement ran longer than the query timeout (on the server or on the socket). */
    TIMEOUT,
    /** ClickHouse answered the statement with an error of its own (bad SQL, missing table, a limit). */
    REJECTED;

    /** ClickHouse's TIMEOUT_EXCEEDED error code (max_execution_time). */
    private static final int TIMEOUT_EXCEEDED = 159;

    /** The label value used in metrics and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Classifies a driver failure from its exception chain. */
    static StoreFailure of(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException || t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof SQLException sql && sql.getErrorCode() == TIMEOUT_EXCEEDED) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof SQLTransientConnectionException) {
                return UNAVAILABLE;
            }
        }
        // The driver puts ClickHouse's own error code on the exception only when the server answered.
        return e.getErrorCode() > 0 ? REJECTED : UNAVAILABLE;
    }
}
