package dev.intake.metrics;

import dev.intake.api.MetricsApi;

/** Serves the Prometheus scrape. */
final class MetricsResource implements MetricsApi {
    private final MetricsFeature metrics;

    MetricsResource(MetricsFeature metrics) {
        this.metrics = metrics;
    }

    @Override
    public String getMetrics() {
        return metrics.scrape();
    }
}
