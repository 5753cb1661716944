package dev.intake.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;

/** Typed reads of nullable ClickHouse columns, by name. */
public final class Columns {
    private Columns() {
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        ZonedDateTime t = rs.getObject(column, ZonedDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> map(ResultSet rs, String column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? Map.of() : (Map<K, V>) v;
    }
}
