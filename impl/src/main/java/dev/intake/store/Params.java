package dev.intake.store;

import java.util.HashMap;
import java.util.Map;

/**
 * Values for a statement's named placeholders. Supported values: String, Number, Boolean, java.time.Instant
 * (sent as a UTC DateTime64 literal), UUID, List (a ClickHouse array), Map (a ClickHouse map), and null.
 */
public final class Params {
    private final Map<String, Object> values = new HashMap<>();

    private Params() {
    }

    public static Params of() {
        return new Params();
    }

    public static Params of(String name, Object value) {
        return new Params().with(name, value);
    }

    /** Sets one value and returns this, for chaining. */
    public Params with(String name, Object value) {
        values.put(name, value);
        return this;
    }

    Object get(String name, String statement) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("No value for :" + name + " in " + statement);
        }
        return values.get(name);
    }
}
