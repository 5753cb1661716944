package dev.intake.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.intake.store.LocalClickHouse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store failing in every way a client can tell apart: stopped, answering errors, hanging. Each is a 503 (never
 * a 500, never a guessed 404), within the query timeout, and the service recovers by itself when the store does.
 */
@ExtendWith(ContractChecked.class)
class StoreFailureIT {
    static final Instant T = Instant.now().minusSeconds(900);

    @Test
    void engineStoppedGives503AndTheServiceRecoversWhenItIsBack() throws IOException {
        Path data = Path.of(System.getProperty("it.data.dir", "target/it-data"), "stopped-" + UUID.randomUUID());
        LocalClickHouse engine = Engine.start(data);
        int port = engine.port();
        try (TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL", engine.jdbcUrl(),
                "CLICKHOUSE_QUERY_TIMEOUT_MS", "2000"))) {
            server.awaitReady(Duration.ofSeconds(60));
            Http http = server.http();
            Experiments.create(http, "ws", "exp");
            Experiments.ingest(http, "ws", Trajectories.upstreamShape("s-1", "exp", "c", T, 1.0));

            engine.close();

            assertUnavailable(http);
            engine = LocalClickHouse.start(Path.of(System.getProperty("local.clickhouse.dir", "../local-clickhouse")),
                    data, port, Duration.ofSeconds(60));
            server.awaitReady(Duration.ofSeconds(30));
            Http.Response back = http.get("/apis/intake/v2/workspaces/ws/experiments/exp/sessions");
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.json().at("/pagination/total_results").asLong()).as("data kept").isEqualTo(1);
        } finally {
            engine.close();
        }
    }

    @Test
    void failingAndHangingClickHouseGive503WithinTheTimeoutThenRecover() {
        String engineUrl = Engine.jdbcUrl();
        String engineHttp = engineUrl.replace("jdbc:clickhouse://", "http://").replaceAll("\\?.*", "");
        WireMockServer clickhouse = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        clickhouse.start();
        clickhouse.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(engineHttp)));
        String url = "jdbc:clickhouse://127.0.0.1:" + clickhouse.port() + "?compress=false";
        try (TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL", url, "CLICKHOUSE_QUERY_TIMEOUT_MS", "1000"))) {
            server.awaitReady(Duration.ofSeconds(60));
            Http http = server.http();
            Experiments.create(http, "ws", "exp");

            StubMapping failing = clickhouse.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)
                    .withHeader("X-ClickHouse-Exception-Code", "241")
                    .withBody("Code: 241. DB::Exception: Memory limit (total) exceeded. (MEMORY_LIMIT_EXCEEDED)")));
            assertUnavailable(http);
            assertThat(http.post("/apis/intake/v2/workspaces/ws/ingest/atif",
                    Trajectories.upstreamShape("s-2", "exp", "c", T, 1.0).json()).status()).isEqualTo(503);
            clickhouse.removeStub(failing);

            StubMapping hanging = clickhouse.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse()
                    .proxiedFrom(engineHttp).withFixedDelay(8000)));
            long started = System.nanoTime();
            assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments/exp/sessions").status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the 1 s query timeout, not the 8 s hang")
                    .isLessThan(Duration.ofMillis(3000));
            assertUnavailable(http);
            clickhouse.removeStub(hanging);

            server.awaitReady(Duration.ofSeconds(30));
            assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments/exp/sessions").status()).isEqualTo(200);
        } finally {
            clickhouse.stop();
        }
    }

    /** Reads that need the store answer 503 problem documents; readiness says why. */
    private static void assertUnavailable(Http http) {
        Http.Response sessions = http.get("/apis/intake/v2/workspaces/ws/experiments/exp/sessions");
        assertThat(sessions.status()).isEqualTo(503);
        assertThat(sessions.contentType()).startsWith("application/problem+json");
        assertThat(sessions.headers().firstValue("Retry-After")).isPresent();
        assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments/unknown/sessions").status())
                .as("unknown experiment: still 503, the store decides existence").isEqualTo(503);
        assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments").status()).isEqualTo(503);
        assertThat(http.get("/health/live").status()).isEqualTo(200);
        Http.Response ready = http.get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("clickhouse").asText()).isEqualTo("down");
    }
}
