package dev.intake.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.intake.it.ExportFixtures.exportPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How an export behaves when things go wrong while it streams: the store failing before the first byte (a 503), the
 * store's connection breaking after it (the response is aborted, so the client sees an incomplete body, never a
 * complete-looking one), and the client going away (the store connection is back in the pool at once).
 */
@ExtendWith(ContractChecked.class)
class SessionsExportStreamingIT {
    static final String WS = "ws-export";

    @Test
    void aStoreThatBreaksAfterTheFirstByteAbortsTheResponse() throws IOException {
        String engineUrl = Engine.jdbcUrl();
        int enginePort = URI.create(engineUrl.replace("jdbc:", "")).getPort();
        try (CuttingProxy proxy = new CuttingProxy(enginePort, "sessions/export.sql", 256 * 1024);
             TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL",
                     "jdbc:clickhouse://127.0.0.1:" + proxy.port() + "?compress=false"))) {
            server.awaitReady(Duration.ofSeconds(60));
            Experiments.create(server.http(), WS, "big");
            ExportFixtures.seedIndex(new Db(engineUrl, server.database()), WS, "big", 3000, 300);

            for (String format : List.of("ndjson", "csv")) {
                HttpResponse<InputStream> export = ExportFixtures.open(server.baseUri(),
                        exportPath(WS, "big", "format=" + format));
                assertThat(export.statusCode()).isEqualTo(200);
                AtomicInteger lines = new AtomicInteger();
                assertThatThrownBy(() -> readLines(export.body(), lines)).as(format)
                        .isInstanceOf(IOException.class);
                assertThat(lines.get()).as(format + ": rows before the cut, not all of them").isBetween(1, 2999);
            }
            assertThat(proxy.cut()).isTrue();
            assertThat(server.http().get("/apis/intake/v2/workspaces/" + WS + "/experiments/big/sessions").status())
                    .as("the service goes on").isEqualTo(200);
        }
    }

    @Test
    void aStoreFailingBeforeTheFirstByteIsA503() {
        String engineHttp = Engine.jdbcUrl().replace("jdbc:clickhouse://", "http://").replaceAll("\\?.*", "");
        WireMockServer clickhouse = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        clickhouse.start();
        clickhouse.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(engineHttp)));
        clickhouse.stubFor(any(anyUrl()).atPriority(1).withRequestBody(containing("sessions/export.sql"))
                .willReturn(aResponse().withStatus(500).withHeader("X-ClickHouse-Exception-Code", "241")
                        .withBody("Code: 241. DB::Exception: Memory limit (total) exceeded. (MEMORY_LIMIT_EXCEEDED)")));
        try (TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL",
                "jdbc:clickhouse://127.0.0.1:" + clickhouse.port() + "?compress=false"))) {
            server.awaitReady(Duration.ofSeconds(60));
            Experiments.create(server.http(), WS, "exp");

            Http.Response export = server.http().get(exportPath(WS, "exp", "format=csv"));

            assertThat(export.status()).isEqualTo(503);
            assertThat(export.contentType()).startsWith("application/problem+json");
            assertThat(export.headers().firstValue("Retry-After")).isPresent();
        } finally {
            clickhouse.stop();
        }
    }

    /**
     * With a pool of one connection, a client that leaves in the middle of a large (~60 MB) export must not keep
     * that connection, nor let the driver read the rest of ClickHouse's answer first (over a second here): the next
     * request gets the connection within the pool's 1 s wait, or it would be answered 503.
     */
    @Test
    void aClientThatLeavesMidExportFreesTheStoreConnectionAtOnce() throws Exception {
        String engineUrl = Engine.jdbcUrl();
        // a long query timeout: seeding holds the one-statement-at-a-time engine for seconds
        try (TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL", engineUrl, "CLICKHOUSE_POOL_SIZE", "1",
                "CLICKHOUSE_QUERY_TIMEOUT_MS", "30000"))) {
            server.awaitReady(Duration.ofSeconds(60));
            Experiments.create(server.http(), WS, "big");
            ExportFixtures.seedIndex(new Db(engineUrl, server.database()), WS, "big", 60_000, 1000);
            String list = "/apis/intake/v2/workspaces/" + WS + "/experiments/big/sessions";
            assertThat(server.http().get(list).status()).isEqualTo(200);

            for (int attempt = 0; attempt < 3; attempt++) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.baseUri().getPort())) {
                    client.setSoLinger(true, 0); // close with a reset, like a killed client
                    OutputStream out = client.getOutputStream();
                    out.write(("GET " + exportPath(WS, "big", "") + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = client.getInputStream();
                    byte[] some = in.readNBytes(256 * 1024);
                    assertThat(new String(some, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
                }
                Http.Response next = server.http().get(list);
                assertThat(next.status()).as("attempt " + attempt + ": " + next.body()).isEqualTo(200);
            }
        }
    }

    private static void readLines(InputStream body, AtomicInteger lines) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            while (r.readLine() != null) {
                lines.incrementAndGet();
            }
        }
    }
}
