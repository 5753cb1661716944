package dev.intake.metrics;

import dev.intake.api.MetricsApi;

/** Serves the Prometheus scrape. */
public final class MetricsResource implements MetricsApi {
    private final Metrics metrics;

    public MetricsResource(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public String getMetrics() {
        return metrics.scrape();
    }
}
