package dev.intake.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What ClickHouse receives from the service can be traced back, and what fails is counted by class. The local
 * engine keeps no {@code system.query_log} (it is clickhouse-local inside chDB), so the tests read what the engine
 * receives over HTTP through a recording proxy: each statement's {@code query_id} (starting with the request id)
 * and {@code log_comment} (the statement's name) are exactly what a server's {@code system.query_log} records.
 */
@ExtendWith(ContractChecked.class)
class StoreObservabilityIT {
    static final Instant T = Instant.now().minusSeconds(600);

    @Test
    void everyStatementOfARequestCarriesItsRequestIdAndItsStatementName() {
        withProxiedServer("3000", (clickhouse, server) -> {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Map<String, Http> calls = new HashMap<>();
            for (String step : List.of("create", "ingest", "another", "reingest", "list", "update", "delete", "ready")) {
                calls.put(step, server.http().withHeader("X-Request-Id", "rq-" + run + "-" + step));
            }
            clickhouse.resetRequests();

            assertThat(calls.get("create").post("/apis/intake/v2/workspaces/ws/experiments",
                    Experiments.request("exp")).status()).isEqualTo(201);
            assertThat(calls.get("ingest").post("/apis/intake/v2/workspaces/ws/ingest/atif",
                    Trajectories.upstreamShape("s-" + run, "exp", "c", T, 1.0).json()).status()).isEqualTo(201);
            assertThat(calls.get("another").post("/apis/intake/v2/workspaces/ws/ingest/atif",
                    Trajectories.upstreamShape("s2-" + run, "exp", "c", T, 1.0).json()).status()).isEqualTo(201);
            assertThat(calls.get("reingest").post("/apis/intake/v2/workspaces/ws/ingest/atif",
                    Trajectories.upstreamShape("s-" + run, "exp", "c", T, 0.5).json()).status()).isEqualTo(201);
            assertThat(calls.get("list").get("/apis/intake/v2/workspaces/ws/experiments/exp/sessions").status())
                    .isEqualTo(200);
            Map<String, Object> update = Experiments.request("exp");
            update.put("summary", "all green");
            assertThat(calls.get("update").put("/apis/intake/v2/workspaces/ws/experiments/exp", update).status())
                    .isEqualTo(200);
            assertThat(calls.get("delete").delete("/apis/intake/v2/workspaces/ws/experiments/exp").status())
                    .isEqualTo(204);
            assertThat(calls.get("ready").get("/health/ready").status()).isEqualTo(200);

            List<Map<String, String>> statements = clickhouse.getAllServeEvents().stream()
                    .map(StoreObservabilityIT::queryParameters).toList();
            assertThat(statements).as("statements sent").isNotEmpty();
            for (Map<String, String> statement : statements) {
                assertThat(statement.get("query_id")).as("query_id of " + statement)
                        .matches("(rq-" + run + "-[a-z]+|background):[0-9a-f]{8}");
                assertThat(statement.get("log_comment")).as("log_comment of " + statement).matches("[a-z/._0-9-]+\\.sql|[a-z-]+");
            }
            assertThat(namesOf(statements, run, "create")).contains("experiments/create.sql");
            // a session's first ingest publishes the row it computed; a re-ingest (which this instance knows for
            // one: it wrote the session) retires older rows and recomputes the row
            assertThat(namesOf(statements, run, "ingest")).containsExactly("experiments/exists.sql",
                    "ingest/insert-generations.sql", "ingest/insert-results.sql", "ingest/insert-spans.sql",
                    "sessions/publish-new.sql");
            // the experiment is known to this instance now: the guarded publish checks it is live, in the statement
            // that writes the row, so a new session needs no lookup before
            assertThat(namesOf(statements, run, "another")).containsExactly("ingest/insert-generations.sql",
                    "ingest/insert-results.sql", "ingest/insert-spans.sql", "sessions/publish-new.sql");
            assertThat(namesOf(statements, run, "reingest")).containsExactly("experiments/exists.sql",
                    "ingest/insert-generations.sql", "ingest/insert-results.sql", "ingest/insert-spans.sql",
                    "ingest/retire-results.sql", "ingest/retire-spans.sql", "sessions/refresh.sql");
            assertThat(namesOf(statements, run, "list")).contains("sessions/page.sql");
            assertThat(namesOf(statements, run, "update")).contains("experiments/write.sql");
            assertThat(namesOf(statements, run, "delete")).contains("experiments/write.sql",
                    "sessions/retire-experiment.sql");
            assertThat(namesOf(statements, run, "ready")).contains("store/ping.sql");
        });
    }

    @Test
    void aStatementRunAgainOnTheSameConnectionCarriesOnlyItsOwnValuesAndSettings() {
        // one connection: every run of a statement's text after the first reuses the statement prepared for it
        withProxiedServer(Map.of("CLICKHOUSE_QUERY_TIMEOUT_MS", "3000", "CLICKHOUSE_POOL_SIZE", "1"), (clickhouse, server) -> {
            Http http = server.http();
            String run = UUID.randomUUID().toString().substring(0, 8);
            String ws = "reuse-" + run;
            assertThat(http.post("/apis/intake/v2/workspaces/" + ws + "/experiments", Experiments.request("exp"))
                    .status()).isEqualTo(201);
            // the first ingest's publish carries a text longer than ClickHouse's default max_query_size, so it runs
            // with a raised limit; the next one must not inherit it
            String longInput = "long input ".repeat(30_000);
            assertThat(http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif",
                    Trajectories.aTrajectory("long", "exp", "case-a").userStep(longInput, T)
                            .agentStep("done", T, 1L, 1L, null, 0.01).json()).status()).isEqualTo(201);
            clickhouse.resetRequests();
            assertThat(http.post("/apis/intake/v2/workspaces/" + ws + "/ingest/atif",
                    Trajectories.upstreamShape("short", "exp", "case-b", T, 1.0).json()).status()).isEqualTo(201);
            List<Map<String, String>> publishes = clickhouse.getAllServeEvents().stream()
                    .map(StoreObservabilityIT::queryParameters)
                    .filter(q -> "sessions/publish-new.sql".equals(q.get("log_comment"))).toList();
            assertThat(publishes).hasSize(1);
            assertThat(publishes.get(0)).doesNotContainKey("max_query_size");

            // the same list statement, with each filter value in turn: each answer has its own value's session
            String list = "/apis/intake/v2/workspaces/" + ws + "/experiments/exp/sessions?test_case_id=";
            for (int round = 0; round < 3; round++) {
                assertThat(sessionIds(http.get(list + "case-a").json())).containsExactly("long");
                assertThat(sessionIds(http.get(list + "case-b").json())).containsExactly("short");
                assertThat(sessionIds(http.get(list + "case-c").json())).isEmpty();
            }
            List<String> queryIds = clickhouse.getAllServeEvents().stream().map(StoreObservabilityIT::queryParameters)
                    .map(q -> q.get("query_id")).toList();
            assertThat(queryIds).doesNotHaveDuplicates();
        });
    }

    private static List<String> sessionIds(JsonNode page) {
        List<String> ids = new java.util.ArrayList<>();
        page.get("data").forEach(row -> ids.add(row.get("session_id").asText()));
        return ids;
    }

    @Test
    void storeFailuresAreCountedByClass() {
        withProxiedServer("1000", (clickhouse, server) -> {
            Http http = server.http();
            Scrape before = Scrape.of(http);

            // Only the list's count statement fails, so the background probes keep the schema ready meanwhile.
            StubMapping rejecting = clickhouse.stubFor(count().willReturn(clickHouseError(60,
                    "Code: 60. DB::Exception: Unknown table expression identifier 'experiments'. (UNKNOWN_TABLE)")));
            // 503 or 500: which status a refused statement gets is the store's classification, not this test's.
            assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments").status()).isGreaterThanOrEqualTo(500);
            clickhouse.removeStub(rejecting);
            StubMapping full = clickhouse.stubFor(count().willReturn(clickHouseError(241,
                    "Code: 241. DB::Exception: Memory limit (total) exceeded. (MEMORY_LIMIT_EXCEEDED)")));
            assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments").status()).isEqualTo(503);
            clickhouse.removeStub(full);
            StubMapping broken = clickhouse.stubFor(count().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments").status()).isEqualTo(503);
            clickhouse.removeStub(broken);
            StubMapping hanging = clickhouse.stubFor(count().willReturn(aResponse().withStatus(200).withFixedDelay(4000)));
            assertThat(http.get("/apis/intake/v2/workspaces/ws/experiments").status()).isEqualTo(503);
            clickhouse.removeStub(hanging);
            Scrape after = Scrape.of(http);

            String errors = "intake_store_errors_total";
            // The list's first statement is the count; background probes may fail meanwhile, so count this one.
            String list = "statement=\"experiments/count.sql\"";
            assertThat(after.since(before, errors, list, "class=\"rejected\"")).isEqualTo(1);
            assertThat(after.since(before, errors, list, "class=\"timeout\"")).isEqualTo(1);
            assertThat(after.since(before, errors, list, "class=\"unavailable\"")).as("memory limit, connection reset")
                    .isEqualTo(2);
            assertThat(after.since(before, "intake_store_statements_seconds_count", list)).isEqualTo(4);
            assertThat(after.since(before, "intake_http_requests_seconds_count",
                    "operation_id=\"listExperiments\"", "status=\"503\"")).isGreaterThanOrEqualTo(3);
        });
    }

    /** An error answer as ClickHouse's HTTP interface writes it. */
    private static ResponseDefinitionBuilder clickHouseError(int code, String text) {
        return aResponse().withStatus(500).withHeader("X-ClickHouse-Exception-Code", Integer.toString(code)).withBody(text);
    }

    /** Any request to ClickHouse that runs the experiment list's count statement. */
    private static MappingBuilder count() {
        return any(anyUrl()).atPriority(1).withQueryParam("log_comment", equalTo("experiments/count.sql"));
    }

    /** A server whose ClickHouse is the shared engine behind a recording WireMock proxy. */
    private static void withProxiedServer(String queryTimeoutMs, BiConsumer<WireMockServer, TestServer> test) {
        withProxiedServer(Map.of("CLICKHOUSE_QUERY_TIMEOUT_MS", queryTimeoutMs), test);
    }

    private static void withProxiedServer(Map<String, String> env, BiConsumer<WireMockServer, TestServer> test) {
        String engineHttp = Engine.jdbcUrl().replace("jdbc:clickhouse://", "http://").replaceAll("\\?.*", "");
        WireMockServer clickhouse = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        clickhouse.start();
        clickhouse.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(engineHttp)));
        String url = "jdbc:clickhouse://127.0.0.1:" + clickhouse.port() + "?compress=false";
        Map<String, String> vars = new HashMap<>(env);
        vars.put("CLICKHOUSE_URL", url);
        try (TestServer server = TestServer.start(vars)) {
            server.awaitReady(Duration.ofSeconds(60));
            test.accept(clickhouse, server);
        } finally {
            clickhouse.stop();
        }
    }

    /** The statement names ({@code log_comment}) sent for one request of this run. */
    private static Set<String> namesOf(List<Map<String, String>> statements, String run, String step) {
        Set<String> names = new TreeSet<>();
        for (Map<String, String> s : statements) {
            if (s.get("query_id").startsWith("rq-" + run + "-" + step + ":")) {
                names.add(s.get("log_comment"));
            }
        }
        return names;
    }

    /** The URL parameters of one request ClickHouse received (where the client puts query_id and settings). */
    private static Map<String, String> queryParameters(ServeEvent event) {
        Map<String, String> params = new HashMap<>();
        String url = event.getRequest().getUrl();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String header = event.getRequest().getHeader("X-ClickHouse-Query-Id");
        if (header != null && !header.isEmpty()) {
            params.putIfAbsent("query_id", header);
        }
        return params;
    }
}
