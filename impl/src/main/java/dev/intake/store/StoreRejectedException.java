package dev.intake.store;

/**
 * ClickHouse answered and refused a statement (a syntax, type or conversion error, an unknown table or column): a
 * defect of our SQL or of the schema, not an outage. A 500 for the client, never a 503: retrying cannot help.
 */
public final class StoreRejectedException extends RuntimeException {
    StoreRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
