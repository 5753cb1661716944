package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** AUTH_MODE=jwt: a JWKS endpoint that is down gives 503 for tokens whose key is not cached: never 500, never 2xx. */
@ExtendWith(ContractChecked.class)
class AuthJwksUnavailableIT {
    static final String WS = Experiments.uniqueWorkspace();
    static final String LIST = "/apis/intake/v2/workspaces/" + WS + "/experiments";

    @Test
    void aFailingJwksEndpointGives503AndNoTokenIsAccepted() {
        TestIssuer issuer = TestIssuer.create();
        try (JwksStub jwks = new JwksStub().failWith(500);
             TestServer server = JwtServers.start(jwks.url())) {
            for (int i = 0; i < 3; i++) { // the later ones hit the refetch rate limit: still 503
                Http.Response r = server.http().withBearer(viewer(issuer).sign()).get(LIST);
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.json().path("detail").asText()).contains("key set");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            }
        }
    }

    @Test
    void aRefusedConnectionToTheJwksEndpointGives503() {
        TestIssuer issuer = TestIssuer.create();
        try (TestServer server = JwtServers.start("http://127.0.0.1:" + closedPort() + "/jwks.json")) {
            assertThat(server.http().withBearer(viewer(issuer).sign()).get(LIST).status()).isEqualTo(503);
        }
    }

    @Test
    void cachedKeysKeepWorkingWhileTheEndpointIsDownButAnUncachedKidGets503() {
        TestIssuer issuer = TestIssuer.create();
        try (JwksStub jwks = new JwksStub().serve(issuer);
             TestServer server = JwtServers.start(jwks.url()).awaitReady(Duration.ofSeconds(60));
             LogCapture log = new LogCapture()) {
            assertThat(server.http().withBearer(viewer(issuer).sign()).get(LIST).status()).isEqualTo(200);
            jwks.failWith(500);

            assertThat(server.http().withBearer(viewer(issuer).sign()).get(LIST).status()).as("cached key").isEqualTo(200);
            String uncached = viewer(issuer).signedWith(TestIssuer.newRsaKey()).sign();
            assertThat(server.http().withBearer(uncached).get(LIST).status()).as("uncached kid").isEqualTo(503);

            assertThat(log.text()).contains("JWKS is unavailable").doesNotContain(uncached.split("\\.")[2]);
        }
    }

    private static TestIssuer.Token viewer(TestIssuer issuer) {
        return issuer.token().scope("intake:read").role(WS, "Viewer");
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
