package dev.intake.health;

import dev.intake.api.HealthApi;
import dev.intake.api.model.HealthStatus;
import dev.intake.api.model.HealthStatus.AuthModeEnum;
import dev.intake.api.model.HealthStatus.ClickhouseEnum;
import dev.intake.api.model.HealthStatus.StatusEnum;
import dev.intake.config.AuthConfig;
import dev.intake.store.StoreProbe;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/** Liveness (the process answers) and readiness (ClickHouse answers and the schema is applied). */
final class HealthResource implements HealthApi {
    private final StoreProbe probe;
    private final AuthConfig.Mode authMode;

    HealthResource(StoreProbe probe, AuthConfig.Mode authMode) {
        this.probe = probe;
        this.authMode = authMode;
    }

    @Override
    public HealthStatus getLiveness() {
        return new HealthStatus(StatusEnum.OK, ClickhouseEnum.NOT_CHECKED, mode(), warnings());
    }

    @Override
    public HealthStatus getReadiness() {
        StoreProbe.Result result = probe.check();
        List<String> warnings = warnings();
        if (!result.ready()) {
            warnings.add(result.problem());
            HealthStatus down = new HealthStatus(StatusEnum.UNAVAILABLE, ClickhouseEnum.DOWN, mode(), warnings);
            // The spec declares this 503 with the HealthStatus body, not a problem document: probes read it.
            throw new WebApplicationException(Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, "1").entity(down).build());
        }
        return new HealthStatus(StatusEnum.OK, ClickhouseEnum.UP, mode(), warnings);
    }

    private AuthModeEnum mode() {
        return authMode == AuthConfig.Mode.JWT ? AuthModeEnum.JWT : AuthModeEnum.DISABLED;
    }

    private List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (authMode == AuthConfig.Mode.DISABLED) {
            w.add("Authentication is disabled (AUTH_MODE=disabled): every request is allowed. Development only.");
        }
        return w;
    }
}
