package dev.intake.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.health.HealthStatus;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.intake.web.ApiProblemException;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a bearer JWT with Nimbus: RS256 or ES256 signature by a key of the issuer's JWKS, issuer, audience,
 * expiry and not-before (30 s clock skew). The JWKS is cached; a token with an unknown {@code kid} triggers a
 * rate-limited refetch, so a rotated key is picked up without a restart. When the JWKS cannot be fetched a token
 * whose key is not cached gets 503: never accepted, never a 500.
 */
final class TokenVerifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
    static final int MAX_CLOCK_SKEW_SECONDS = 30;

    private final ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JWKSource<SecurityContext> keys;
    /** Whether the last real fetch of the JWKS worked; tells "key unknown" from "key set unreachable". */
    private final AtomicBoolean lastFetchWorked = new AtomicBoolean(false);

    TokenVerifier(URL jwksUrl, String issuer, String audience) {
        keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl)
                .cache(true)
                .rateLimited(true)
                .healthReporting(report -> lastFetchWorked.set(report.getHealthStatus() == HealthStatus.HEALTHY))
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp"), null);
        claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The verified caller; otherwise a 401 (bad token) or 503 (key set unreachable) problem. */
    Caller verify(String token) {
        try {
            return Caller.from(processor.process(token, null));
        } catch (ParseException e) {
            throw Challenges.invalidToken("The bearer token is not a well-formed JWT.");
        } catch (RateLimitReachedException e) {
            // The key set was refetched moments ago: if that worked the key is simply unknown.
            if (lastFetchWorked.get()) {
                throw Challenges.invalidToken("The token is signed with a key the issuer does not publish.");
            }
            throw unavailable(e);
        } catch (KeySourceException e) {
            throw unavailable(e);
        } catch (BadJWTException e) {
            throw Challenges.invalidToken(describe(e));
        } catch (BadJWSException e) {
            throw Challenges.invalidToken("The token's signature is invalid.");
        } catch (BadJOSEException e) {
            throw Challenges.invalidToken("The token is not signed (RS256 or ES256) with a key the issuer publishes.");
        } catch (JOSEException e) {
            throw Challenges.invalidToken("The token's signature could not be verified.");
        }
    }

    /** Stops the key source's background refresh. */
    @Override
    public void close() throws IOException {
        if (keys instanceof Closeable closeable) {
            closeable.close();
        }
    }

    private static ApiProblemException unavailable(KeySourceException e) {
        LOG.warn("Token issuer's JWKS is unavailable, answering 503: {}", e.getMessage());
        return ApiProblemException.issuerUnavailable("The token issuer's key set cannot be fetched; retry later.");
    }

    /** Nimbus' claim messages (fixed texts, verified for 10.10) mapped to ours; nothing the caller sent is echoed. */
    private static String describe(BadJWTException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof ExpiredJWTException || m.startsWith("Expired")) {
            return "The token has expired.";
        }
        if (m.contains("before use time")) {
            return "The token is not valid yet (nbf).";
        }
        if (m.startsWith("JWT missing required claims")) {
            int names = m.indexOf('['); // the names we require, never the caller's values
            return "The token lacks a required claim" + (names < 0 ? "" : " " + m.substring(names)) + ".";
        }
        if (m.contains("aud claim")) {
            return "The token is not issued for this API (aud).";
        }
        if (m.contains("iss claim")) {
            return "The token is not issued by the expected issuer (iss).";
        }
        return "The token's claims are rejected.";
    }
}
