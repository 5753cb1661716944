package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** AUTH_MODE=jwt: keys published after start are picked up without a restart; refetches are rate-limited. */
@ExtendWith(ContractChecked.class)
class AuthKeyRotationIT {
    static final String WS = Experiments.uniqueWorkspace();
    static final String LIST = "/apis/intake/v2/workspaces/" + WS + "/experiments";

    @Test
    void aKeyPublishedAfterStartIsAcceptedWithoutRestartAndUnknownKeysDoNotHammerTheIssuer() {
        TestIssuer issuer = TestIssuer.create();
        try (JwksStub jwks = new JwksStub().serve(issuer);
             TestServer server = JwtServers.start(jwks.url()).awaitReady(Duration.ofSeconds(60))) {
            assertThat(get(server, issuer.token())).isEqualTo(200);
            assertThat(jwks.fetches()).isEqualTo(1);

            RSAKey rotated = TestIssuer.newRsaKey();
            jwks.serve(issuer.publish(rotated));

            assertThat(get(server, issuer.token().signedWith(rotated))).as("token signed with the new key").isEqualTo(200);
            assertThat(get(server, issuer.token())).as("the old key, still published").isEqualTo(200);
            assertThat(jwks.fetches()).as("one refetch, for the unknown kid").isEqualTo(2);

            ECKey neverPublished = TestIssuer.newEcKey();
            for (int i = 0; i < 5; i++) {
                assertThat(get(server, issuer.token().signedWith(neverPublished))).isEqualTo(401);
            }
            assertThat(jwks.fetches()).as("refetches for unknown kids are rate-limited").isEqualTo(2);
        }
    }

    private static int get(TestServer server, TestIssuer.Token token) {
        return server.http().withBearer(token.scope("intake:read").role(WS, "Viewer").sign()).get(LIST).status();
    }
}
