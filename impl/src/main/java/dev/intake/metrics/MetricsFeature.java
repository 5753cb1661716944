package dev.intake.metrics;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.intake.store.StatementObserver;
import dev.intake.store.StoreFailure;
import dev.intake.web.AnswerObserver;
import dev.intake.web.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The metrics feature's one door: the service's metrics, in one Prometheus registry per running service: HTTP
 * requests per operation, store statements, connection pools, ingest volumes and rejections, JVM and process. The
 * web and the store report through their own observer interfaces, which this class implements, a feature through a
 * method of this class the composition root hands it; {@link MetricsResource} serves the scrape.
 * Labels never carry a raw path, workspace or experiment name, so the number of series stays fixed.
 */
public final class MetricsFeature implements AutoCloseable {
    /** Histogram buckets for request and statement durations: 1 ms to 10 s, enough for p50 to p99 panels. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter trajectories;
    private final Counter spans;
    private final Counter evaluatorResults;

    public MetricsFeature() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        trajectories = Counter.builder("intake.ingest.trajectories")
                .description("Trajectories (sessions) written by ingest requests that succeeded").register(registry);
        spans = Counter.builder("intake.ingest.spans")
                .description("Spans written by ingest requests that succeeded").register(registry);
        evaluatorResults = Counter.builder("intake.ingest.evaluator.results")
                .description("Evaluator results written by ingest requests that succeeded").register(registry);
    }

    /** The scrape, in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    /** For the connection pools: {@code hikaricp_connections_active}, {@code _idle}, {@code _pending}, wait times. */
    public MetricsTrackerFactory pools() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    /** Counts and times every HTTP request by operation, method and status, and ingest rejections by reason. */
    public RequestObserver requests() {
        return (operationId, method, status, nanos) -> {
            String statusLabel = Integer.toString(status);
            Timer.builder("intake.http.requests")
                    .description("HTTP requests by spec operation, method and status, from arrival to the last byte")
                    .tags("operation_id", operationId, "method", method, "status", statusLabel)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
            if (operationId.startsWith("ingest") && status >= 400 && status < 500) {
                Counter.builder("intake.ingest.rejected")
                        .description("Ingest requests refused with a 4xx, by operation and reason")
                        .tags("operation_id", operationId, "reason", rejectionReason(status))
                        .register(registry)
                        .increment();
            }
        };
    }

    /** Times every store statement by name and counts its failures by class. */
    public StatementObserver statements() {
        return new StatementObserver() {
            @Override
            public void succeeded(String statement, long nanos) {
                time(statement, nanos);
            }

            @Override
            public void failed(String statement, long nanos, StoreFailure failure) {
                time(statement, nanos);
                Counter.builder("intake.store.errors")
                        .description("Store statements that failed, by statement and class of failure")
                        .tags("statement", statement, "class", failure.label())
                        .register(registry)
                        .increment();
            }

            private void time(String statement, long nanos) {
                Timer.builder("intake.store.statements")
                        .description("ClickHouse statements by name, from borrowing a connection to the last row")
                        .tags("statement", statement)
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry)
                        .record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** Counts, per operation, the requests answered from the answers kept in memory, and those that were not. */
    public AnswerObserver answers() {
        return (operationId, outcome) -> Counter.builder("intake.answers")
                .description("Reads that could be answered from the answers kept in memory, by operation and by what"
                        + " was kept: served (the store's current version), stale (an older one) or missing")
                .tags("operation_id", operationId, "result", outcome.label())
                .register(registry)
                .increment();
    }

    /** Counts what one successful ingest request wrote. */
    public void ingestWritten(int trajectoryCount, int spanCount, int resultCount) {
        trajectories.increment(trajectoryCount);
        spans.increment(spanCount);
        evaluatorResults.increment(resultCount);
    }

    /** Serves the scrape. */
    public Object resource() {
        return new MetricsResource(this);
    }

    /** The reason label of a refused ingest: the status says which check refused it. */
    static String rejectionReason(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "invalid_body";
            default -> "other";
        };
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
