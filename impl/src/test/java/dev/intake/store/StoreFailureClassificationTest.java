package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one classification of store failures: ClickHouse refusing a statement is a defect, anything else an outage. */
class StoreFailureClassificationTest {
    static final Sql SQL = Sql.parse("dev/intake/test/some.sql", "SELECT 1");

    @ParameterizedTest(name = "ClickHouse error {0} -> rejected (500)")
    @ValueSource(ints = {47, 53, 60, 62, 70, 386})
    void aStatementClickHouseRefusesIsRejected(int code) {
        assertThat(Store.classify(SQL, null, new SQLException("Code: " + code, "22000", code)))
                .isInstanceOf(StoreRejectedException.class)
                .hasMessageContaining("dev/intake/test/some.sql").hasMessageContaining("error code " + code);
    }

    @ParameterizedTest(name = "ClickHouse error {0} -> unavailable (503)")
    @ValueSource(ints = {0, 159, 160, 202, 209, 210, 241, 252, 394})
    void timeoutsCapacityAndConnectionFailuresAreUnavailable(int code) {
        assertThat(Store.classify(SQL, null, new SQLException("Code: " + code, "HY000", code)))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @ParameterizedTest(name = "pool exhausted -> unavailable (503)")
    @ValueSource(strings = "clickhouse - Connection is not available, request timed out after 1000ms")
    void poolExhaustionIsUnavailable(String message) {
        assertThat(Store.classify(SQL, null, new SQLTransientConnectionException(message)))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
