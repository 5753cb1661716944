package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.web.SpecIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AUTH_MODE=jwt over every secured operation of the spec, so a new operation is covered the day it is added: no
 * token is a 401, a valid token without any accepted scope is a 403, whatever the caller's role.
 */
@ExtendWith(ContractChecked.class)
class AuthEveryOperationIT {
    static final String WS = Experiments.uniqueWorkspace();

    @RegisterExtension
    static final JwtFixture jwt = new JwtFixture();

    static Stream<Named<SpecIndex.Operation>> securedOperations() {
        return SpecIndex.load().operations().stream().filter(SpecIndex.Operation::secured)
                .map(op -> Named.of(op.operationId(), op));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("securedOperations")
    void withoutATokenEverySecuredOperationAnswers401(SpecIndex.Operation op) {
        Http.Response r = send(jwt.server.http(), op);

        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"intake\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("securedOperations")
    void aTokenWithNoAcceptedScopeGets403FromEverySecuredOperation(SpecIndex.Operation op) {
        String token = jwt.issuer.token().scope("openid profile").role("*", "Admin").sign();

        Http.Response r = send(jwt.server.http().withBearer(token), op);

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().path("detail").asText()).contains(String.join(", ", op.acceptedScopes()));
    }

    /** The operation on a concrete path, with a valid body where it takes one. */
    private static Http.Response send(Http http, SpecIndex.Operation op) {
        String path = op.path().replace("{workspace}", WS).replace("{name}", "exp");
        return switch (op.method()) {
            case "GET" -> http.get(path);
            case "DELETE" -> http.delete(path);
            case "POST" -> http.post(path, body(op));
            case "PUT" -> http.put(path, body(op));
            default -> throw new AssertionError("No request shape for " + op.method() + " " + op.path());
        };
    }

    private static Map<String, Object> body(SpecIndex.Operation op) {
        return switch (op.operationId()) {
            case "ingestAtifTrajectory" -> Trajectories.upstreamShape("s-1", "exp", "case-1", Instant.now(), 1.0).json();
            case "createExperiment", "updateExperiment" -> Experiments.request("exp");
            default -> Map.of(); // rejected before the body is read
        };
    }
}
