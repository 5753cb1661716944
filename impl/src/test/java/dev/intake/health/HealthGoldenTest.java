package dev.intake.health;

import dev.intake.Golden;
import dev.intake.config.AuthConfig;
import org.junit.jupiter.api.Test;

/** Liveness answers without the store (the probe is not asked). */
class HealthGoldenTest {
    @Test
    void livenessWithAuthenticationDisabledWarnsOfIt() {
        Golden.assertMatches("health-live-auth-disabled",
                new HealthResource(null, AuthConfig.Mode.DISABLED).getLiveness());
    }

    @Test
    void livenessWithJwt() {
        Golden.assertMatches("health-live-jwt", new HealthResource(null, AuthConfig.Mode.JWT).getLiveness());
    }
}
