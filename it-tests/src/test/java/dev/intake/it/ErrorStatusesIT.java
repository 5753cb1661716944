package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.web.SpecIndex;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation answers each generic error it declares, as a problem document: 400 for a malformed path
 * parameter, 413 for an oversized body, 503 when ClickHouse is unreachable, 500 when ClickHouse refuses a
 * statement (here: a table of the schema was dropped). Operations come from the spec itself, so a new operation is
 * covered without editing this test.
 */
@ExtendWith(ContractChecked.class)
class ErrorStatusesIT {
    static final Instant T = Instant.now().minusSeconds(300);
    static TestServer storeDown;
    static TestServer tinyBodies;
    static TestServer brokenSchema;

    @BeforeAll
    static void start() {
        storeDown = TestServer.withStoreDown();
        tinyBodies = TestServer.withBodyLimit(1024);
        brokenSchema = TestServer.start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl())).awaitReady(java.time.Duration.ofSeconds(60));
        new Db(brokenSchema).execute("DROP TABLE experiments");
    }

    @AfterAll
    static void stop() {
        storeDown.close();
        tinyBodies.close();
        brokenSchema.close();
    }

    static Stream<Arguments> operations() {
        return SpecIndex.load().operations().stream().filter(SpecIndex.Operation::secured)
                .sorted(java.util.Comparator.comparing(SpecIndex.Operation::operationId))
                .map(op -> Arguments.of(op.operationId(), op));
    }

    @ParameterizedTest(name = "{0}: ClickHouse unreachable -> 503")
    @MethodSource("operations")
    void unreachableStoreIs503(String id, SpecIndex.Operation op) {
        Http.Response r = send(storeDown.http(), op, "ws", body(op, 1));

        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    }

    @org.junit.jupiter.api.Test
    void notReadyIs503WithRetryAfter() {
        Http.Response r = storeDown.http().get("/health/ready");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    }

    @ParameterizedTest(name = "{0}: ClickHouse refuses a statement -> 500, logged with the statement")
    @MethodSource("operations")
    void aStatementClickHouseRefusesIs500NotAnOutage(String id, SpecIndex.Operation op) {
        try (LogCapture log = new LogCapture()) {
            Http.Response r = send(brokenSchema.http(), op, "ws", body(op, 1));

            assertThat(r.status()).as(r.body()).isEqualTo(500);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.headers().firstValue("Retry-After")).as("retrying cannot help").isEmpty();
            assertThat(r.json().get("detail").asText()).contains(r.json().get("request_id").asText());
            // one JSON log line at ERROR naming the statement and the query id, which starts with the request id
            assertThat(log.text()).containsPattern("\\{[^\\n]*\"level\":\"ERROR\"[^\\n]*\"message\":\"ClickHouse rejected"
                    + " statement \\S+\\.sql \\(query id " + r.json().get("request_id").asText() + ":[0-9a-f]{8},"
                    + " error code 60");
        }
        assertThat(brokenSchema.http().get("/health/ready").status()).as("not an outage").isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}: malformed workspace -> 400")
    @MethodSource("operations")
    void malformedWorkspaceIs400(String id, SpecIndex.Operation op) {
        Http.Response r = send(tinyBodies.http(), op, "bad%20ws", body(op, 1));

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsText("field")).contains("workspace");
    }

    static Stream<Arguments> operationsWithBodies() {
        return operations().filter(a -> body((SpecIndex.Operation) a.get()[1], 0) != null);
    }

    @ParameterizedTest(name = "{0}: body over the limit -> 413")
    @MethodSource("operationsWithBodies")
    void oversizedBodyIs413(String id, SpecIndex.Operation op) {
        Http.Response r = send(tinyBodies.http(), op, "ws", body(op, 2000));

        assertThat(r.status()).as(r.body()).isEqualTo(413);
    }

    /** A request body the operation accepts, padded with a long description or message. */
    static Object body(SpecIndex.Operation op, int padding) {
        if (!op.method().equals("POST") && !op.method().equals("PUT")) {
            return null;
        }
        String pad = "p".repeat(padding);
        if (op.path().endsWith("/experiments") || op.path().endsWith("/experiments/{name}")) {
            Map<String, Object> r = new java.util.LinkedHashMap<>(Experiments.request("exp"));
            r.put("description", pad);
            return r;
        }
        Map<String, Object> trajectory = Trajectories.aTrajectory("s-1", "exp", null).userStep(pad, T).json();
        return op.path().endsWith("/batch") ? Map.of("trajectories", List.of(trajectory)) : trajectory;
    }

    /** The required query parameters of the operations that have some, valid, so only the tested problem shows. */
    static final Map<String, String> REQUIRED_QUERY = Map.of("compareExperiments", "?baseline=base&evaluator=score");

    static Http.Response send(Http http, SpecIndex.Operation op, String workspace, Object body) {
        String path = op.path().replace("{workspace}", workspace).replace("{name}", "exp")
                + REQUIRED_QUERY.getOrDefault(op.operationId(), "");
        return switch (op.method()) {
            case "GET" -> http.get(path);
            case "DELETE" -> http.delete(path);
            case "POST" -> http.post(path, body);
            case "PUT" -> http.put(path, body);
            default -> throw new IllegalArgumentException(op.method());
        };
    }
}
