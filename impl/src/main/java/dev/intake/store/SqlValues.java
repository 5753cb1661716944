package dev.intake.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Converts our parameter values into what the driver encodes safely as ClickHouse literals. */
public final class SqlValues {
    /** DateTime64(6) text in UTC; every DateTime64 column of the schema is declared with the 'UTC' zone. */
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private SqlValues() {
    }

    /** An instant as DateTime64(6) text in UTC, as every statement sends it (also inside data a statement parses). */
    public static String dateTime64(Instant instant) {
        return MICROS.format(instant);
    }

    static Object toDriverValue(Object value) {
        if (value instanceof Instant instant) {
            return dateTime64(instant);
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        return value;
    }
}
