package dev.intake.store;

/**
 * When the current request began, so that all of its statements together, waits for a connection included, stay
 * within one query timeout: a client gets its answer (or its 503) within that time however many statements the
 * request needs and however busy the pool is. The HTTP layer marks the start and end of each request on its
 * thread; work outside a request (migrations, probes) gets one query timeout per statement.
 */
public final class StoreBudget {
    private static final ThreadLocal<Long> STARTED = new ThreadLocal<>();

    private StoreBudget() {
    }

    /** The request on this thread starts now. */
    public static void beginRequest() {
        STARTED.set(System.nanoTime());
    }

    /** The request on this thread is over. */
    public static void endRequest() {
        STARTED.remove();
    }

    /** When the current request began (System.nanoTime), or {@code now} outside a request. */
    static long startedNanos(long now) {
        Long started = STARTED.get();
        return started == null ? now : started;
    }
}
