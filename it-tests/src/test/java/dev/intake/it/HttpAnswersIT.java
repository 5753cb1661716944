package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.web.SpecIndex;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP-level answers: 405 names the allowed methods, {@code Accept} never turns an answer into 406, a body sent as
 * anything but JSON (other, malformed, listed, empty or missing {@code Content-Type}) is the declared 415, every
 * one a problem document, and every response carries {@code X-Request-Id}.
 */
@ExtendWith(ContractChecked.class)
class HttpAnswersIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = "/apis/intake/v2/workspaces/http-answers";

    @BeforeAll
    static void ready() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        Experiments.create(SERVER.http(), "http-answers", "exp");
    }

    @Test
    void methodNotAllowedIs405WithAllowAndAProblem() {
        Http.Response r = SERVER.http().send("PATCH", WS + "/experiments/exp", "{}", "application/json");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.headers().allValues("Allow").stream().flatMap(v -> Stream.of(v.split(",\\s*"))))
                .contains("GET", "PUT", "DELETE").doesNotContain("PATCH", "POST");
        assertThat(r.json().get("request_id").asText()).isNotEmpty();
    }

    @Test
    void acceptIsNotNegotiatedSoThereIsNo406() {
        Http.Response r = SERVER.http().withHeader("Accept", "text/html").get(WS + "/experiments/exp");
        Http.Response spec = SERVER.http().withHeader("Accept", "application/xml").get("/openapi.yaml");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(spec.status()).isEqualTo(200);
    }

    static Stream<Arguments> bodyOperationsAndContentTypes() {
        return SpecIndex.load().operations().stream()
                .filter(op -> op.method().equals("POST") || op.method().equals("PUT"))
                .sorted(Comparator.comparing(SpecIndex.Operation::operationId))
                .flatMap(op -> Stream.of(new String[] {"text/plain"}, new String[] {"garbage"},
                                new String[] {"application/json, text/plain"}, new String[] {""},
                                new String[] {"application/json", "application/json"}, new String[] {})
                        .map(types -> Arguments.of(op.operationId(), String.join(" + ", types), op, types)));
    }

    @ParameterizedTest(name = "{0} with Content-Type [{1}] -> 415")
    @MethodSource("bodyOperationsAndContentTypes")
    void aBodyThatIsNotJsonIs415(String id, String shown, SpecIndex.Operation op, String[] contentTypes) {
        String path = op.path().replace("{workspace}", "http-answers").replace("{name}", "exp");
        Http.Response r = SERVER.http().send(op.method(), path, "{}", contentTypes);

        assertThat(r.status()).as(r.body()).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
        // refused unread, so the connection is not reused: the answer says so, or the client's next request on it
        // would be lost
        assertThat(r.headers().firstValue("Connection")).hasValue("close");
        assertThat(r.json().get("detail").asText()).contains("application/json");
    }

    @Test
    void requestsJettyRefusesBeforeTheApplicationAreProblemsToo() {
        Http.Response hugeHeader = SERVER.http().withHeader("X-Padding", "p".repeat(20_000)).get(WS + "/experiments");
        Http.Response encodedDot = SERVER.http().get(WS + "/experiments/%2E%2E");

        for (Http.Response r : new Http.Response[] {hugeHeader, encodedDot}) {
            assertThat(r.status()).as(r.body()).isBetween(400, 499);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("request_id").asText()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        }
    }

    @Test
    void aMalformedContentTypeOnARequestWithoutBodyIsIgnored() {
        Http.Response r = SERVER.http().withHeader("Content-Type", "garbage").get(WS + "/experiments/exp");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void everyResponseCarriesARequestIdAndEvery503ARetryAfter() {
        Http http = SERVER.http();
        Experiments.create(http, "http-answers", "to-delete");
        for (Http.Response r : new Http.Response[] {http.get("/health/live"), http.get("/health/ready"),
                http.get("/openapi.yaml"), http.get(WS + "/experiments"), http.get(WS + "/experiments/nope"),
                http.delete(WS + "/experiments/to-delete")}) {
            assertThat(r.headers().firstValue("X-Request-Id")).as("status " + r.status()).isPresent();
        }
    }
}
