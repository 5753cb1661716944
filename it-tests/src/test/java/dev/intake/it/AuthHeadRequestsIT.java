package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * AUTH_MODE=jwt: Jersey answers HEAD from the GET method, so HEAD must be secured exactly like that GET. Not
 * {@code ContractChecked}: the spec declares no HEAD operations, so the validator refuses every HEAD answer.
 */
class AuthHeadRequestsIT {
    static final String WS = Experiments.uniqueWorkspace();
    static final String LIST = "/apis/intake/v2/workspaces/" + WS + "/experiments";

    @Test
    void aHeadRequestIsAuthenticatedAndAuthorizedLikeTheGetItMirrors() {
        TestIssuer issuer = TestIssuer.create();
        try (JwksStub jwks = new JwksStub().serve(issuer);
             TestServer server = JwtServers.start(jwks.url()).awaitReady(Duration.ofSeconds(60))) {
            assertThat(server.http().head(LIST).status()).isEqualTo(401);
            assertThat(server.http().withBearer(issuer.token().scope("intake:read").role("other", "Viewer").sign())
                    .head(LIST).status()).isEqualTo(403);
            assertThat(server.http().withBearer(issuer.token().scope("intake:read").role(WS, "Viewer").sign())
                    .head(LIST).status()).isEqualTo(200);
        }
    }
}
