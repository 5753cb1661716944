package dev.intake.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in token issuer: RSA and EC signing keys, their public JWKS, and a builder for signed JWTs with the claims
 * the Intake API reads. The ITs publish its JWKS through WireMock. Self-contained (JDK + Nimbus only), so it also
 * runs as a single-file program that serves the JWKS and prints tokens for local use (see {@link #main}).
 */
public final class TestIssuer {
    public static final String ISSUER = "https://issuer.intake.test";
    public static final String AUDIENCE = "intake-api";

    private final List<JWK> keys = new ArrayList<>();

    private TestIssuer() {
    }

    /** An issuer publishing one RSA (RS256) and one EC P-256 (ES256) key. */
    public static TestIssuer create() {
        TestIssuer issuer = new TestIssuer();
        issuer.keys.add(newRsaKey());
        issuer.keys.add(newEcKey());
        return issuer;
    }

    /** A new RSA key, not yet published. */
    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new EC P-256 key, not yet published. */
    public static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes another key (key rotation); the JWKS then lists it too. */
    public TestIssuer publish(JWK key) {
        keys.add(key);
        return this;
    }

    public RSAKey rsaKey() {
        return (RSAKey) keys.stream().filter(RSAKey.class::isInstance).findFirst().orElseThrow();
    }

    public ECKey ecKey() {
        return (ECKey) keys.stream().filter(ECKey.class::isInstance).findFirst().orElseThrow();
    }

    /** The public JWKS document, as an issuer serves it. */
    public String jwksJson() {
        return new JWKSet(keys).toPublicJWKSet().toString();
    }

    /** A token for this issuer and audience, valid for an hour, signed RS256, with no scope and no role yet. */
    public Token token() {
        return new Token(rsaKey());
    }

    /** A JWT under construction. */
    public static final class Token {
        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private final Map<String, Object> workspaces = new LinkedHashMap<>();
        private JWK key;
        private String kid;

        private Token(JWK key) {
            this.key = key;
            Instant now = Instant.now();
            claims.issuer(ISSUER).audience(AUDIENCE).subject("user-" + UUID.randomUUID())
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))));
        }

        /** The {@code scope} claim, space separated. */
        public Token scope(String scope) {
            claims.claim("scope", scope);
            return this;
        }

        /** The {@code scp} claim, an array. */
        public Token scp(String... scopes) {
            claims.claim("scp", List.of(scopes));
            return this;
        }

        /** A {@code workspaces} entry: workspace name (or {@code *}) → {@code Viewer | Editor | Admin}. */
        public Token role(String workspace, String role) {
            workspaces.put(workspace, role);
            return this;
        }

        public Token claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Token issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Token audience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Token expiresAt(Instant at) {
            claims.expirationTime(at == null ? null : Date.from(at));
            return this;
        }

        public Token notBefore(Instant at) {
            claims.notBeforeTime(Date.from(at));
            return this;
        }

        /** Signs with this key (RSA → RS256, EC → ES256), whether the issuer publishes it or not. */
        public Token signedWith(JWK key) {
            this.key = key;
            return this;
        }

        /** Puts this {@code kid} in the header instead of the signing key's own. */
        public Token kid(String kid) {
            this.kid = kid;
            return this;
        }

        public String sign() {
            try {
                if (!workspaces.isEmpty()) {
                    claims.claim("workspaces", workspaces);
                }
                boolean rsa = key instanceof RSAKey;
                JWSHeader header = new JWSHeader.Builder(rsa ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256)
                        .type(JOSEObjectType.JWT).keyID(kid != null ? kid : key.getKeyID()).build();
                JWSSigner signer = rsa ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key);
                SignedJWT jwt = new SignedJWT(header, claims.build());
                jwt.sign(signer);
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * For local development: serves a fresh issuer's JWKS on {@code http://127.0.0.1:<port>/jwks.json} (default
     * port 8099; 0 takes any free port) and prints the server's environment and one 12-hour token per role for a
     * workspace (default {@code demo}; {@code *} for every workspace). Keys live only as long as the process.
     * Arguments: {@code [workspace] [port]}.
     */
    public static void main(String[] args) throws IOException {
        String workspace = args.length > 0 ? args[0] : "demo";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8099;
        TestIssuer issuer = create();
        byte[] jwks = issuer.jwksJson().getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
        port = server.getAddress().getPort(); // the port chosen by the system when 0 was asked for
        System.out.println("# Start the API with:");
        System.out.println("export AUTH_MODE=jwt AUTH_JWKS_URL=http://127.0.0.1:" + port + "/jwks.json AUTH_ISSUER="
                + ISSUER + " AUTH_AUDIENCE=" + AUDIENCE);
        Instant until = Instant.now().plus(Duration.ofHours(12));
        for (String role : List.of("Viewer", "Editor", "Admin")) {
            String scope = role.equals("Viewer") ? "intake:read" : "intake:read intake:write";
            String token = issuer.token().scope(scope).role(workspace, role).expiresAt(until).sign();
            System.out.println("# " + role + " of workspace '" + workspace + "' (scope '" + scope + "'):");
            System.out.println("export " + role.toUpperCase() + "_TOKEN=" + token);
        }
        System.out.println("# Serving the JWKS until Ctrl-C.");
        System.out.flush();
    }
}
