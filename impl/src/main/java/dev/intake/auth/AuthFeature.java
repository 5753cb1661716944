package dev.intake.auth;

import dev.intake.config.AuthConfig;
import dev.intake.web.SpecIndex;
import java.io.IOException;

/** Authentication and authorization's one door: the request filter for the configured mode. */
public final class AuthFeature implements AutoCloseable {
    private final AuthFilter filter;

    private AuthFeature(AuthFilter filter) {
        this.filter = filter;
    }

    /**
     * Checks the spec's security declarations (an operation without {@code x-permission} fails the start) and
     * builds the filter for the configured mode.
     */
    public static AuthFeature create(AuthConfig config, SpecIndex spec) {
        return new AuthFeature(AuthFilter.create(config, spec));
    }

    /** The JAX-RS request filter: 401 without a valid token, 403 without the operation's permission. */
    public Object filter() {
        return filter;
    }

    /** Stops refreshing the issuer's keys. */
    @Override
    public void close() throws IOException {
        filter.close();
    }
}
