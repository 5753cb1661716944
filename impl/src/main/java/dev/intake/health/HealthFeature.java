package dev.intake.health;

import dev.intake.config.AuthConfig;
import dev.intake.store.StoreProbe;

/** Health's one door: liveness and readiness. */
public final class HealthFeature {
    private final HealthResource resource;

    /** @param authMode reported by both, with a warning when authentication is disabled */
    public HealthFeature(StoreProbe probe, AuthConfig.Mode authMode) {
        this.resource = new HealthResource(probe, authMode);
    }

    public Object resource() {
        return resource;
    }
}
