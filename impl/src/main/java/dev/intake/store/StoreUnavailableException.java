package dev.intake.store;

/**
 * The store cannot answer: not configured, unreachable, failing, or too slow. Always a 503 for the client, never a
 * 500: the request may succeed when retried.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
