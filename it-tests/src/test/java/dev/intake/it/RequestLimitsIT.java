package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.web.SpecIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Requests larger than Jetty reads (8 KiB of request line and header fields) are refused before they reach any
 * operation: every operation declares the 414 (request line too long) and the 431 (header fields too large) it can
 * therefore answer, and each answer is a problem document.
 */
@ExtendWith(ContractChecked.class)
class RequestLimitsIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = "request-limits";

    @BeforeAll
    static void ready() {
        SERVER.awaitReady(Duration.ofSeconds(60));
    }

    static Stream<Arguments> operations() {
        return SpecIndex.load().operations().stream()
                .sorted(Comparator.comparing(SpecIndex.Operation::operationId))
                .map(op -> Arguments.of(op.operationId(), op));
    }

    @ParameterizedTest(name = "{0}: a request line over the limit -> 414")
    @MethodSource("operations")
    void aRequestLineOverTheLimitIs414(String id, SpecIndex.Operation op) {
        String path = concretePath(op);
        Http.Response r = SERVER.http().send(op.method(), path + "?input_contains=" + "x".repeat(10_000), null);

        assertProblem(r, 414);
        ContractRecorder.recordAnswerBeforeTheApplication(id, op.method(), path, r.status(), r.contentType(), r.body());
    }

    @ParameterizedTest(name = "{0}: header fields over the limit -> 431")
    @MethodSource("operations")
    void headerFieldsOverTheLimitAre431(String id, SpecIndex.Operation op) {
        String path = concretePath(op);
        Http.Response r = SERVER.http().withHeader("X-Padding", "p".repeat(20_000)).send(op.method(), path, null);

        assertProblem(r, 431);
        ContractRecorder.recordAnswerBeforeTheApplication(id, op.method(), path, r.status(), r.contentType(), r.body());
    }

    /**
     * Jetty closes the connection after refusing a request it could not read whole; the answer must say so, or a
     * client pools the dead connection and its next request on it (a POST, which is not retried) fails with no
     * answer at all.
     */
    @Test
    void aRefusedRequestLineOrFieldsSayTheConnectionCloses() throws IOException {
        String path = "/apis/intake/v2/workspaces/" + WS + "/experiments";
        assertThat(rawAnswer("GET " + path + "?input_contains=" + "x".repeat(10_000) + " HTTP/1.1\r\n"))
                .startsWith("HTTP/1.1 414").containsIgnoringCase("\r\nConnection: close\r\n");
        assertThat(rawAnswer("GET " + path + " HTTP/1.1\r\nX-Padding: " + "p".repeat(20_000) + "\r\n"))
                .startsWith("HTTP/1.1 431").containsIgnoringCase("\r\nConnection: close\r\n");
    }

    /** Sends a request's head (keep-alive, the HTTP/1.1 default) and reads the answer until the server closes. */
    private static String rawAnswer(String head) throws IOException {
        URI base = SERVER.baseUri();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: " + base.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0 && !answer.toString().contains("\r\n\r\n"); ) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                }
            } catch (IOException reset) {
                // the server may reset the connection once it has answered (unread request bytes); the head is in
            }
            return answer.toString();
        }
    }

    private static String concretePath(SpecIndex.Operation op) {
        return op.path().replace("{workspace}", WS).replace("{name}", "exp");
    }

    private static void assertProblem(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("request_rejected");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("request_id").asText()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    }
}
