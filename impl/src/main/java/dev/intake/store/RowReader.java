package dev.intake.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Turns the current row of a result set into a value; columns are read by name. */
@FunctionalInterface
public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
}
