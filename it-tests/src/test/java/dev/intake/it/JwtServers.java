package dev.intake.it;

import java.util.Map;

/** Servers with {@code AUTH_MODE=jwt}, trusting {@link TestIssuer}'s issuer and audience and a given JWKS URL. */
final class JwtServers {
    private JwtServers() {
    }

    static TestServer start(String jwksUrl) {
        return TestServer.start(Map.of(
                "CLICKHOUSE_URL", Engine.jdbcUrl(),
                "AUTH_MODE", "jwt",
                "AUTH_JWKS_URL", jwksUrl,
                "AUTH_ISSUER", TestIssuer.ISSUER,
                "AUTH_AUDIENCE", TestIssuer.AUDIENCE));
    }
}
