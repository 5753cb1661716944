package dev.intake.it;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server in AUTH_MODE=jwt with a token issuer of its own and WireMock serving the issuer's JWKS, started before
 * and stopped after the test class that registers it ({@code @RegisterExtension static final JwtFixture jwt}).
 */
final class JwtFixture implements BeforeAllCallback, AfterAllCallback {
    TestIssuer issuer;
    JwksStub jwks;
    TestServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        issuer = TestIssuer.create();
        jwks = new JwksStub().serve(issuer);
        server = JwtServers.start(jwks.url()).awaitReady(Duration.ofSeconds(60));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
        jwks.close();
    }
}
