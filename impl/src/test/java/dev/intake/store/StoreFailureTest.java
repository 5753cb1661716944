package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class StoreFailureTest {
    @Test
    void aServerErrorAboutTheStatementIsRejected() {
        assertThat(StoreFailure.of(new SQLException("Code: 62. Syntax error", "42000", 62))).isEqualTo(StoreFailure.REJECTED);
        assertThat(StoreFailure.of(new SQLException("Code: 60. Unknown table", "42000", 60))).isEqualTo(StoreFailure.REJECTED);
    }

    @Test
    void aServerLimitIsUnavailableNotRejected() {
        assertThat(StoreFailure.of(new SQLException("Code: 241. Memory limit", "22000", 241)))
                .isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLException("Code: 202. Too many simultaneous queries", "HY000", 202)))
                .isEqualTo(StoreFailure.UNAVAILABLE);
    }

    @Test
    void timeoutsOnTheServerOrTheSocketAreTimeouts() {
        assertThat(StoreFailure.of(new SQLException("Code: 159. Timeout exceeded", "HY000", 159)))
                .isEqualTo(StoreFailure.TIMEOUT);
        assertThat(StoreFailure.of(new SQLException("Query request failed", "HY000", 0,
                new RuntimeException(new SocketTimeoutException("Read timed out"))))).isEqualTo(StoreFailure.TIMEOUT);
    }

    @Test
    void noConnectionIsUnavailable() {
        assertThat(StoreFailure.of(new SQLException("Query request failed", "08000", 0,
                new ConnectException("Connection refused")))).isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLTransientConnectionException("pool - Connection is not available")))
                .isEqualTo(StoreFailure.UNAVAILABLE);
        assertThat(StoreFailure.of(new SQLException("broken"))).isEqualTo(StoreFailure.UNAVAILABLE);
    }

    @Test
    void labelsAreLowerCase() {
        assertThat(StoreFailure.TIMEOUT.label()).isEqualTo("timeout");
    }
}
