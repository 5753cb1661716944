package dev.intake.web;

/** Told about every finished HTTP request, so the metrics can count and time it without the web layer knowing how. */
public interface RequestObserver {
    /** Observes nothing. */
    RequestObserver NONE = (operationId, method, status, nanos) -> {
    };

    /**
     * @param operationId the spec's operationId, or {@link AccessLog#UNMATCHED} when no operation matched (never
     *                    the raw path: labels stay few)
     * @param nanos       from the request's arrival in the application to the last byte of the answer
     */
    void finished(String operationId, String method, int status, long nanos);
}
