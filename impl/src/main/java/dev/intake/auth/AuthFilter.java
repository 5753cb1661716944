package dev.intake.auth;

import dev.intake.config.AuthConfig;
import dev.intake.web.ApiProblemException;
import dev.intake.web.MatchedOperation;
import dev.intake.web.SpecIndex;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.net.MalformedURLException;
import java.util.Optional;

/**
 * Enforces what the spec states for the matched operation: with {@code AUTH_MODE=jwt} a secured operation needs a
 * valid bearer JWT (else 401), one of the operation's {@code x-accepted-scopes} (else 403) and a role in the
 * path's {@code {workspace}} that grants its {@code x-permission} (else 403). With {@code AUTH_MODE=disabled}
 * every request passes. Runs after matching, so it knows the operation, and before anything reads the body.
 * The token itself is never logged nor echoed.
 */
@Priority(Priorities.AUTHENTICATION)
final class AuthFilter implements ContainerRequestFilter, AutoCloseable {
    private static final String WORKSPACE = "workspace";

    private final SpecIndex spec;
    private final TokenVerifier verifier;

    private AuthFilter(SpecIndex spec, TokenVerifier verifier) {
        this.spec = spec;
        this.verifier = verifier;
    }

    /**
     * The filter for the configured mode. In every mode the spec's security declarations are checked first, so
     * an operation without {@code x-permission} fails the start.
     */
    static AuthFilter create(AuthConfig config, SpecIndex spec) {
        SecurityRequirements.check(spec.operations());
        if (config.mode() == AuthConfig.Mode.DISABLED) {
            return new AuthFilter(spec, null);
        }
        try {
            return new AuthFilter(spec, new TokenVerifier(config.jwksUrl().orElseThrow().toURL(),
                    config.issuer().orElseThrow(), config.audience().orElseThrow()));
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("AUTH_JWKS_URL is not a usable URL: " + e.getMessage(), e);
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (verifier == null) {
            return;
        }
        Optional<SpecIndex.Operation> matched = MatchedOperation.of(request, spec);
        if (matched.isEmpty()) {
            if (HttpMethod.OPTIONS.equals(request.getMethod())) {
                return; // Jersey's generated answer: the Allow header, no data
            }
            throw ApiProblemException.forbidden("This route is not described by the API contract.");
        }
        SpecIndex.Operation op = matched.get();
        if (!op.secured()) {
            return;
        }
        Caller caller = verifier.verify(bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        if (!caller.hasAnyScope(op.acceptedScopes())) {
            throw ApiProblemException.forbidden("The token has none of the scopes this operation accepts: "
                    + String.join(", ", op.acceptedScopes()) + ".");
        }
        String workspace = request.getUriInfo().getPathParameters().getFirst(WORKSPACE);
        String permission = op.permission().orElseThrow(); // SecurityRequirements checked it at start
        if (!caller.hasRoleIn(workspace)) {
            throw ApiProblemException.forbidden("The token grants no role in workspace '"
                    + (workspace == null ? Caller.ANY_WORKSPACE : workspace) + "'.");
        }
        if (!caller.mayIn(workspace, permission)) {
            throw ApiProblemException.forbidden("The caller's role in workspace '" + workspace
                    + "' does not grant " + permission + ".");
        }
    }

    @Override
    public void close() throws IOException {
        if (verifier != null) {
            verifier.close();
        }
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw Challenges.missing("A bearer token is required (Authorization: Bearer <JWT>).");
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        if (!"Bearer".equalsIgnoreCase(scheme)) {
            throw Challenges.missing("Only bearer tokens are accepted (Authorization: Bearer <JWT>).");
        }
        String token = space < 0 ? "" : authorization.substring(space + 1).trim();
        if (token.isEmpty() || token.indexOf(' ') >= 0) {
            throw Challenges.invalidToken("The Authorization header does not carry a single bearer token.");
        }
        return token;
    }
}
