package dev.intake.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Authentication settings. {@code disabled} lets every request through (development only, and loudly logged);
 * {@code jwt} verifies bearer tokens against a JWKS endpoint.
 */
public record AuthConfig(Mode mode, Optional<URI> jwksUrl, Optional<String> issuer, Optional<String> audience) {

    /** How requests are authenticated. */
    public enum Mode { DISABLED, JWT }

    static AuthConfig from(Env e) {
        String raw = e.string("AUTH_MODE", "disabled");
        Mode mode = switch (raw) {
            case "disabled" -> Mode.DISABLED;
            case "jwt" -> Mode.JWT;
            default -> throw new AppConfig.ConfigException("AUTH_MODE must be 'disabled' or 'jwt', got '" + raw + "'");
        };
        Optional<URI> jwks = e.optional("AUTH_JWKS_URL").map(URI::create);
        Optional<String> issuer = e.optional("AUTH_ISSUER");
        Optional<String> audience = e.optional("AUTH_AUDIENCE");
        if (mode == Mode.JWT && (jwks.isEmpty() || issuer.isEmpty() || audience.isEmpty())) {
            throw new AppConfig.ConfigException("AUTH_MODE=jwt needs AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE");
        }
        if (jwks.isPresent() && !List.of("http", "https").contains(String.valueOf(jwks.get().getScheme()))) {
            throw new AppConfig.ConfigException("AUTH_JWKS_URL must be an http(s) URL, got '" + jwks.get() + "'");
        }
        return new AuthConfig(mode, jwks, issuer, audience);
    }
}
