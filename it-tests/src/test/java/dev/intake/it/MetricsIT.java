package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics} after real requests: the series an operator graphs exist and move by exactly what the requests
 * did. The shared server serves other test classes too, so every check compares two scrapes of this test.
 */
@ExtendWith(ContractChecked.class)
class MetricsIT {
    static final Instant T = Instant.now().minusSeconds(600);

    @Test
    void requestsStatementsIngestAndRejectionsMoveTheirSeries() {
        TestServer server = TestServer.shared().awaitReady(Duration.ofSeconds(60));
        Http http = server.http();
        String ws = Experiments.uniqueWorkspace();
        Scrape before = Scrape.of(http);

        Experiments.create(http, ws, "exp-metrics");
        Http.Response ingested = Experiments.ingest(http, ws, Trajectories.upstreamShape("s-1", "exp-metrics", "c-1", T, 1.0));
        assertThat(http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp-metrics/sessions").status()).isEqualTo(200);
        assertThat(http.get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp-metrics/sessions").status()).isEqualTo(200);
        Http.Response invalid = http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif", Map.of("steps", "not a list"));
        assertThat(invalid.status()).isEqualTo(422);
        Scrape after = Scrape.of(http);

        String requests = "intake_http_requests_seconds_count";
        assertThat(after.since(before, requests, "operation_id=\"createExperiment\"", "method=\"POST\"", "status=\"201\""))
                .isEqualTo(1);
        assertThat(after.since(before, requests, "operation_id=\"listExperimentSessions\"", "status=\"200\"")).isEqualTo(2);
        assertThat(after.since(before, requests, "operation_id=\"ingestAtifTrajectory\"", "status=\"422\"")).isEqualTo(1);
        assertThat(after.since(before, "intake_http_requests_seconds_bucket",
                "operation_id=\"listExperimentSessions\"", "status=\"200\"", "le=\"+Inf\"")).isEqualTo(2);
        assertThat(after.since(before, "intake_http_requests_seconds_sum", "operation_id=\"listExperimentSessions\""))
                .isPositive();

        assertThat(after.since(before, "intake_ingest_trajectories_total")).isEqualTo(1);
        assertThat(after.since(before, "intake_ingest_spans_total"))
                .isEqualTo(ingested.json().get("spans_written").asDouble()).isPositive();
        assertThat(after.since(before, "intake_ingest_evaluator_results_total"))
                .isEqualTo(ingested.json().get("evaluator_results_written").asDouble()).isPositive();
        assertThat(after.since(before, "intake_ingest_rejected_total",
                "operation_id=\"ingestAtifTrajectory\"", "reason=\"invalid_body\"")).isEqualTo(1);

        String statements = "intake_store_statements_seconds_count";
        assertThat(after.since(before, statements, "statement=\"ingest/insert-spans.sql\"")).isEqualTo(1);
        assertThat(after.since(before, statements, "statement=\"ingest/insert-results.sql\"")).isEqualTo(1);
        // the second read of the unchanged list is answered from memory after a version read
        assertThat(after.since(before, statements, "statement=\"sessions/page.sql\"")).isGreaterThanOrEqualTo(1);
        assertThat(after.since(before, statements, "statement=\"sessions/versions.sql\"")).isGreaterThanOrEqualTo(1);
        assertThat(after.since(before, statements, "statement=\"experiments/create.sql\"")).isEqualTo(1);

        assertThat(after.value("hikaricp_connections_max", "pool=\"clickhouse\"")).isEqualTo(16);
        assertThat(after.has("hikaricp_connections_active")).isTrue();
        assertThat(after.has("hikaricp_connections_idle")).isTrue();
        assertThat(after.has("hikaricp_connections_pending")).isTrue();
        assertThat(after.since(before, "hikaricp_connections_acquire_seconds_count", "pool=\"clickhouse\"")).isPositive();
        assertThat(after.value("jvm_memory_used_bytes")).isPositive();
        assertThat(after.has("jvm_gc_pause_seconds_count") || after.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
        assertThat(after.has("jvm_threads_live_threads")).isTrue();
        assertThat(after.value("process_uptime_seconds")).isPositive();
        assertThat(after.value("process_cpu_usage")).isGreaterThanOrEqualTo(0);
        assertThat(after.has("process_files_open_files")).isTrue();

        assertThat(after.text()).as("no label carries a workspace, experiment or raw path").doesNotContain(ws)
                .doesNotContain("exp-metrics");
    }

    @Test
    void theHistogramBucketsCountEachRequestOnceAtItsDuration() {
        Http http = TestServer.shared().awaitReady(Duration.ofSeconds(60)).http();
        Scrape before = Scrape.of(http);

        assertThat(http.get("/health/live").status()).isEqualTo(200);
        Scrape after = Scrape.of(http);

        String bucket = "intake_http_requests_seconds_bucket";
        String[] live = {"operation_id=\"getLiveness\"", "status=\"200\""};
        assertThat(after.since(before, bucket, concat(live, "le=\"10.0\""))).isEqualTo(1);
        assertThat(after.since(before, bucket, concat(live, "le=\"+Inf\""))).isEqualTo(1);
        assertThat(after.since(before, "intake_http_requests_seconds_sum", live)).isBetween(0.0, 10.0);
        assertThat(after.since(before, "intake_http_requests_seconds_count", live)).isCloseTo(1, within(0.0));
    }

    private static String[] concat(String[] labels, String more) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = more;
        return all;
    }
}
