package dev.intake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppConfigTest {
    @ParameterizedTest
    @ValueSource(strings = {"jdbc:nonsense", "jdbc:clickhouse:", "jdbc:clickhouse://", "http://ch:8123",
            "jdbc:clickhouse:ftp://ch:21", "jdbc:clickhouse://bad host:8123", "clickhouse"})
    void aMalformedClickHouseUrlStopsStartUpNamingTheVariable(String url) {
        assertThatThrownBy(() -> AppConfig.from(Map.of("CLICKHOUSE_URL", url)))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("CLICKHOUSE_URL")
                .hasMessageContaining(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:clickhouse://127.0.0.1:8123?compress=false", "jdbc:clickhouse://ch.internal:8123/db",
            "jdbc:ch://ch:8123", "jdbc:clickhouse:http://ch:8123", "jdbc:clickhouse:https://ch.example:8443?ssl=true"})
    void aClickHouseUrlIsKept(String url) {
        assertThat(AppConfig.from(Map.of("CLICKHOUSE_URL", url)).clickhouseUrl()).hasValue(url);
    }
}
