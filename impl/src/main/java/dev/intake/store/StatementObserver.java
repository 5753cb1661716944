package dev.intake.store;

/**
 * Told about every statement the store runs, once it has finished: the hook through which statement timings and
 * failures reach the metrics without the store knowing how they are kept.
 */
public interface StatementObserver {
    /** Observes nothing. */
    StatementObserver NONE = new StatementObserver() {
        @Override
        public void succeeded(String statement, long nanos) {
        }

        @Override
        public void failed(String statement, long nanos, StoreFailure failure) {
        }
    };

    /**
     * @param statement the statement's resource name, e.g. {@code sessions/page.sql}
     * @param nanos     from asking the pool for a connection to the last row read
     */
    void succeeded(String statement, long nanos);

    /** Like {@link #succeeded}, for a statement that failed, with the kind of failure. */
    void failed(String statement, long nanos, StoreFailure failure);
}
