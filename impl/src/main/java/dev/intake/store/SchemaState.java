package dev.intake.store;

import java.util.concurrent.atomic.AtomicReference;

/** Where the schema stands, and if it is not applied, why; read on every request, written by the schema keeper. */
public final class SchemaState {
    /** The phases of the schema, as the schema keeper finds them. */
    public enum Phase {
        /** Nothing tried yet. */
        NOT_APPLIED_YET,
        /** The database exists and migrations are being applied: a refused statement now is fatal. */
        MIGRATING,
        /** Every migration is applied: requests may use the store. */
        APPLIED,
        /** ClickHouse did not answer. */
        UNREACHABLE,
        /** ClickHouse answered, but refused a statement of the check itself (not a migration). */
        REFUSED
    }

    private record Current(Phase phase, String detail) {
    }

    private final AtomicReference<Current> current = new AtomicReference<>(new Current(Phase.NOT_APPLIED_YET, null));

    public Phase phase() {
        return current.get().phase();
    }

    public boolean isApplied() {
        return phase() == Phase.APPLIED;
    }

    /** What readiness and a refused request say about the schema. */
    public String describe() {
        Current c = current.get();
        return switch (c.phase()) {
            case NOT_APPLIED_YET -> "migrations not applied yet";
            case MIGRATING -> "migrating";
            case APPLIED -> "schema applied";
            case UNREACHABLE -> "ClickHouse unreachable: " + c.detail();
            case REFUSED -> "ClickHouse refused the schema check: " + c.detail();
        };
    }

    void set(Phase phase) {
        set(phase, null);
    }

    /** @param detail what ClickHouse said, for {@link Phase#UNREACHABLE} and {@link Phase#REFUSED} */
    void set(Phase phase, String detail) {
        current.set(new Current(phase, detail));
    }
}
