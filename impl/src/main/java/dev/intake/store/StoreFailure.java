package dev.intake.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;

/** The kinds of store failure an operator tells apart: ClickHouse down, too slow, or refusing the statement. */
public enum StoreFailure {
    /**
     * No connection, or the connection broke: ClickHouse (or the network to it) is down; or ClickHouse said "not
     * now" (a memory, capacity or concurrency limit, a read-only replica).
     */
    UNAVAILABLE,
    /** The statement ran longer than the query timeout (on the server or on the socket). */
    TIMEOUT,
    /** ClickHouse refused the statement itself (syntax, types, conversions, unknown tables or columns). */
    REJECTED;

    /** ClickHouse's error codes for a statement that ran out of time (TIMEOUT_EXCEEDED, SOCKET_TIMEOUT, ...). */
    private static final Set<Integer> TIMEOUT_CODES = Set.of(159, 160, 209);
    /**
     * ClickHouse error codes that say "not now" rather than "never": cancellations, memory and capacity limits,
     * too many queries or parts, read-only or unreachable replicas, a lost connection.
     */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            3, 32, 164, 173, 201, 202, 203, 210, 236, 241, 242, 243, 252, 279, 285, 319, 394, 425, 439, 735, 999, 1000);

    /** The label value used in metrics and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What an operator reads of a failure: the first line of its innermost cause's message. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** Classifies a driver failure from its exception chain. */
    static StoreFailure of(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException || t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof SQLException sql && TIMEOUT_CODES.contains(sql.getErrorCode())) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof SQLTransientConnectionException) {
                return UNAVAILABLE;
            }
        }
        // The driver puts ClickHouse's own error code on the exception only when the server answered.
        int code = e.getErrorCode();
        return code > 0 && !TRANSIENT_CODES.contains(code) ? REJECTED : UNAVAILABLE;
    }
}
