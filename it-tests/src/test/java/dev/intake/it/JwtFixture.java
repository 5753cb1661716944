package dev.intake.it;

import java.time.Duration;

/** A server in AUTH_MODE=jwt with a token issuer of its own and WireMock serving the issuer's JWKS. */
final class JwtFixture implements AutoCloseable {
    final TestIssuer issuer;
    final JwksStub jwks;
    final TestServer server;

    private JwtFixture(TestIssuer issuer, JwksStub jwks, TestServer server) {
        this.issuer = issuer;
        this.jwks = jwks;
        this.server = server;
    }

    static JwtFixture start() {
        TestIssuer issuer = TestIssuer.create();
        JwksStub jwks = new JwksStub().serve(issuer);
        return new JwtFixture(issuer, jwks, JwtServers.start(jwks.url()).awaitReady(Duration.ofSeconds(60)));
    }

    @Override
    public void close() {
        server.close();
        jwks.close();
    }
}
