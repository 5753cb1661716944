package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping the service (what SIGTERM and a dead engine do) drains it: the port closes at once, a request already
 * in flight still gets its answer, and only then is the store closed under it.
 */
@ExtendWith(ContractChecked.class)
class ShutdownDrainIT {
    @Test
    void aSlowRequestInFlightCompletesDuringShutdown() throws Exception {
        try (SlowStore store = new SlowStore()) {
            TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL", store.jdbcUrl(),
                    "CLICKHOUSE_QUERY_TIMEOUT_MS", "5000", "SHUTDOWN_GRACE_MS", "10000"));
            try {
                server.awaitReady(Duration.ofSeconds(60));
                Experiments.create(server.http(), "drain", "exp");
                store.delayEveryStatement(800);
                Http http = server.http();

                CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(
                        () -> http.get("/apis/intake/v2/workspaces/drain/experiments/exp/sessions"));
                Thread.sleep(400);
                long stopping = System.nanoTime();
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);

                Http.Response answer = inFlight.get(20, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                stopped.get(20, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
                try {
                    Http.Response late = http.get("/health/live");
                    assertThat(late.status()).as("a new request after the stop").isNotEqualTo(200);
                } catch (UncheckedIOException refused) {
                    // the port is closed: what a stopped server should do
                }
            } finally {
                server.close();
            }
        }
    }
}
