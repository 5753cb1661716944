package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** AUTH_MODE=jwt: every way a bearer token is refused with 401 (and the clock skew it tolerates). */
@ExtendWith(ContractChecked.class)
class AuthTokenRejectionsIT {
    static final String WS = Experiments.uniqueWorkspace();
    static final String LIST = "/apis/intake/v2/workspaces/" + WS + "/experiments";

    @RegisterExtension
    static final JwtFixture jwt = new JwtFixture();

    static TestIssuer.Token reader() {
        return jwt.issuer.token().scope("intake:read").role(WS, "Viewer");
    }

    /** Each case: a name, and the token to send (built once the issuer exists). */
    static Stream<Arguments> invalidTokens() {
        return Stream.of(
                bad("not a JWT at all", i -> "not-a-jwt", "not a well-formed JWT"),
                bad("three garbage segments", i -> "abc.def.ghi", "not a well-formed JWT"),
                bad("expired beyond the clock skew", i -> reader().expiresAt(Instant.now().minusSeconds(120)).sign(), "expired"),
                bad("not valid for another five minutes", i -> reader().notBefore(Instant.now().plusSeconds(300)).sign(), "not valid yet"),
                bad("signed by another key under a published kid",
                        i -> reader().signedWith(TestIssuer.newRsaKey()).kid(jwt.issuer.rsaKey().getKeyID()).sign(), "signature"),
                bad("payload altered after signing", i -> tamper(reader().sign()), "signature"),
                bad("from another issuer", i -> reader().issuer("https://evil.example").sign(), "issuer"),
                bad("for another audience", i -> reader().audience("someone-else").sign(), "aud"),
                bad("signed by a key the issuer does not publish", i -> reader().signedWith(TestIssuer.newRsaKey()).sign(), "key"),
                bad("without an expiry", i -> reader().expiresAt(null).sign(), "exp"),
                bad("unsigned (alg none)", i -> new PlainJWT(claims()).serialize(), "not signed"),
                bad("HMAC-signed (alg HS256)", i -> hs256(), "not signed"));
    }

    private static Arguments bad(String name, Function<TestIssuer, String> token, String describedAs) {
        return Arguments.of(name, token, describedAs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTokens")
    void anInvalidTokenIsRefusedWith401AndAnInvalidTokenChallenge(String name, Function<TestIssuer, String> token,
                                                                   String describedAs) {
        Http.Response r = jwt.server.http().withBearer(token.apply(jwt.issuer)).get(LIST);

        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer realm=\"intake\", error=\"invalid_token\", error_description=\"");
        assertThat(r.json().path("detail").asText()).containsIgnoringCase(describedAs);
    }

    @Test
    void noAuthorizationHeaderIsRefusedWithTheBareBearerChallenge() {
        Http.Response r = jwt.server.http().get(LIST);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"intake\"");
        assertThat(r.json().path("status").asInt()).isEqualTo(401);
        assertThat(r.json().path("detail").asText()).contains("bearer token is required");
    }

    @Test
    void anotherAuthenticationSchemeIsRefusedWithTheBareBearerChallenge() {
        Http.Response r = jwt.server.http().withAuthorization("Basic dXNlcjpwYXNz").get(LIST);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"intake\"");
    }

    @Test
    void aBearerHeaderWithoutATokenIsRefused() {
        Http.Response r = jwt.server.http().withAuthorization("Bearer").get(LIST);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }

    @Test
    void expiryAndNotBeforeAreJudgedWithThirtySecondsOfClockSkew() {
        assertThat(jwt.server.http().withBearer(reader().expiresAt(Instant.now().minusSeconds(10)).sign()).get(LIST).status())
                .isEqualTo(200);
        assertThat(jwt.server.http().withBearer(reader().notBefore(Instant.now().plusSeconds(10)).sign()).get(LIST).status())
                .isEqualTo(200);
    }

    @Test
    void tokensNeverAppearInTheLog() {
        List<String> tokens = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            LoggerFactory.getLogger(AuthTokenRejectionsIT.class).warn("log capture check");
            invalidTokens().forEach(args -> {
                @SuppressWarnings("unchecked")
                Function<TestIssuer, String> token = (Function<TestIssuer, String>) args.get()[1];
                tokens.add(token.apply(jwt.issuer));
            });
            tokens.add(reader().sign());
            tokens.add(jwt.issuer.token().scope("openid").role(WS, "Viewer").sign());
            for (String t : tokens) {
                jwt.server.http().withBearer(t).get(LIST);
                jwt.server.http().withBearer(t).post(LIST, "{not json");
            }
            String logged = log.text();

            assertThat(logged).as("the capture sees the server's logger").contains("log capture check");
            for (String t : tokens) {
                assertThat(logged).doesNotContain(t);
                for (String segment : t.split("\\.")) {
                    if (segment.length() >= 16) {
                        assertThat(logged).doesNotContain(segment);
                    }
                }
            }
        }
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("scope", "intake:read")
                .claim("workspaces", java.util.Map.of(WS, "Viewer")).build();
    }

    private static String hs256() {
        try {
            RSAKey published = jwt.issuer.rsaKey();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(), claims());
            jwt.sign(new MACSigner(new byte[32]));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same token with its payload swapped for another (a Viewer of everything), signature kept. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String forged = claims().toString().replace(WS, "*");
        parts[1] = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.join(".", parts);
    }
}
