package dev.intake.store;

import java.util.Collection;
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

    /** An upper bound, in bytes, of a value written as a ClickHouse literal (see {@code Store.textBytesBound}). */
    static long textBound(Object value) {
        if (value instanceof CharSequence text) {
            return 3L * text.length() + 2;
        }
        if (value instanceof Collection<?> list) {
            long bytes = 2;
            for (Object element : list) {
                bytes += textBound(element) + 2;
            }
            return bytes;
        }
        if (value instanceof Map<?, ?> map) {
            long bytes = 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                bytes += textBound(e.getKey()) + textBound(e.getValue()) + 4;
            }
            return bytes;
        }
        return 64;
    }

    Object get(String name, String statement) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("No value for :" + name + " in " + statement);
        }
        return values.get(name);
    }
}
