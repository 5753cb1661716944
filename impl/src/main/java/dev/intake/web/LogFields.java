package dev.intake.web;

import org.slf4j.MDC;

/**
 * The request's fields in every log line written while it is served (SLF4J's MDC, which the JSON log writes as
 * top-level fields): set as soon as they are known, removed when the request has finished.
 */
public final class LogFields {
    public static final String REQUEST_ID = "request_id";
    public static final String OPERATION_ID = "operation_id";
    public static final String WORKSPACE = "workspace";

    private LogFields() {
    }

    /** The id of the request this thread is serving, or null outside a request. */
    public static String currentRequestId() {
        return MDC.get(REQUEST_ID);
    }

    static void clear() {
        MDC.remove(REQUEST_ID);
        MDC.remove(OPERATION_ID);
        MDC.remove(WORKSPACE);
    }
}
