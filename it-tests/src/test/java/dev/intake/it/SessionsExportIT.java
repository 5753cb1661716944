package dev.intake.it;

import static dev.intake.it.Experiments.create;
import static dev.intake.it.Experiments.ingest;
import static dev.intake.it.ExportFixtures.exportPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.intake.sdk.ApiClient;
import dev.intake.sdk.model.ExperimentSessionResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The export's bodies (NDJSON and CSV), filters, empty results, rejections and snapshot, against the list. */
@ExtendWith(ContractChecked.class)
class SessionsExportIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    static final Instant T = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static final String SESSIONS = "/apis/intake/v2/workspaces/" + WS + "/experiments/";
    static final String LONG_INPUT = "lorem ipsum ".repeat(40);
    static final String TRICKY_INPUT = "say \"hi\", then\r\nleave, café";
    static final List<String> SCALARS = List.of("workspace", "experiment_name", "session_id", "test_case_id",
            "trace_id", "root_span_id", "started_at", "ended_at", "latency_ms", "status", "input", "output", "input_tokens",
            "output_tokens", "cached_tokens", "cost_total_usd");
    static Http http;

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        create(http, WS, "exp");
        create(http, WS, "empty");
        for (int i = 0; i < 5; i++) {
            ingest(http, WS, Trajectories.upstreamShape("s-" + i, "exp", "tc-" + (i % 2), T.plusSeconds(i), 0.5 * i)
                    .reward(i % 2 == 0 ? "zeta" : "alpha", i % 3 == 0));
        }
        ingest(http, WS, Trajectories.aTrajectory("s-tricky", "exp", null).userStep(TRICKY_INPUT, T.plusSeconds(10))
                .toolStep(T.plusSeconds(11), "c1", "search", "boom", true));
        ingest(http, WS, Trajectories.aTrajectory("s-bare", "exp", "tc-0").userStep("bare", T.plusSeconds(12)));
        create(http, WS, "long");
        for (int i = 0; i < 3; i++) {
            ingest(http, WS, Trajectories.aTrajectory("l-" + i, "long", "tc").userStep(LONG_INPUT + i, T.plusSeconds(i))
                    .agentStep(LONG_INPUT.toUpperCase() + i, T.plusSeconds(i + 1), 10L * i, 5L, null, 0.01 * i));
        }
    }

    /**
     * Filters, sort and mode mean exactly what they mean in the list: for each combination the export's rows equal,
     * in order, the rows of walking the list page by page (small pages, by cursor) with the same parameters.
     */
    @Test
    void everyFilterSortAndModeOfTheListGivesTheListsRowsInTheListsOrder() {
        String after = T.plusSeconds(1).toString();
        for (String query : List.of(
                "sort=-latency_ms&mode=summary",
                "sort=evaluator_scores.zeta,-started_at&score=" + enc("zeta>=0") + "&mode=preview",
                "sort=-cost_total_usd,test_case_id&min_latency_ms=0&started_after=" + enc(after),
                "sort=test_case_id,-total_tokens&status=success&max_cost_total_usd=1&min_total_tokens=0",
                "sort=-evaluator_scores.alpha&score=" + enc("alpha<1") + "&score=" + enc("alpha>=0"),
                "input_contains=" + enc("HI") + "&sort=-ended_at",
                "sort=status,-started_at&started_before=" + enc(T.plusSeconds(11).toString())
                        + "&max_latency_ms=100000&mode=detailed")) {
            List<JsonNode> exported = lines(http.get(exportPath(WS, "exp", query)).body());
            assertThat(exported).as(query).isEqualTo(walkList("exp", query)).isNotEmpty();
        }
        for (String query : List.of("mode=preview&sort=-started_at", "mode=summary", "sort=-input_tokens")) {
            List<JsonNode> exported = lines(http.get(exportPath(WS, "long", query)).body());
            assertThat(exported).as(query).isEqualTo(walkList("long", query)).hasSize(3);
        }
    }

    @Test
    void modeCutsOrDropsTheTextsAsInTheList() throws IOException {
        List<JsonNode> preview = lines(http.get(exportPath(WS, "long", "mode=preview")).body());
        assertThat(preview.get(0).get("input").asText()).hasSize(301).endsWith("\u2026");
        assertThat(preview.get(0).get("output").asText()).hasSize(301).endsWith("\u2026");
        List<JsonNode> summary = lines(http.get(exportPath(WS, "long", "mode=summary")).body());
        assertThat(summary).allSatisfy(r -> {
            assertThat(r.get("input").isNull()).isTrue();
            assertThat(r.get("output").isNull()).isTrue();
        });
        List<String[]> csv = csv(http.get(exportPath(WS, "long", "format=csv&mode=detailed")).body());
        int output = List.of(csv.get(0)).indexOf("output");
        assertThat(csv.get(1)[output]).as("the output column").isEqualTo(LONG_INPUT.toUpperCase() + 0);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void ndjsonIsTheListsRowsOnePerLineInListOrder() {
        Http.Response export = http.get(exportPath(WS, "exp", ""));

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).isEqualTo("application/x-ndjson");
        assertThat(export.headers().firstValue("content-disposition"))
                .hasValue("attachment; filename=\"exp-sessions.ndjson\"");
        assertThat(export.body()).endsWith("}\n");
        assertThat(lines(export.body())).isEqualTo(listRows("exp", ""));
        assertThat(lines(export.body())).hasSize(7);
    }

    @Test
    void filtersMeanWhatTheyMeanInTheList() {
        for (String query : List.of("status=error", "test_case_id=tc-0", "status=success&test_case_id=tc-1")) {
            List<JsonNode> exported = lines(http.get(exportPath(WS, "exp", query)).body());
            assertThat(exported).as(query).isEqualTo(listRows("exp", query)).isNotEmpty();
        }
    }

    @Test
    void csvHasTheScalarColumnsInSpecOrderThenOneSortedColumnPerEvaluator() throws IOException {
        Http.Response export = http.get(exportPath(WS, "exp", "format=csv"));

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(export.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"exp-sessions.csv\"");
        assertThat(export.body()).as("no BOM").startsWith("workspace,experiment_name,");
        assertThat(export.body()).as("RFC 4180 line ends").endsWith("\r\n");
        List<String[]> records = csv(export.body());
        List<String> header = List.of(records.get(0));
        List<String> expected = new ArrayList<>(SCALARS);
        expected.addAll(List.of("score.alpha", "score.reward", "score.zeta"));
        assertThat(header).isEqualTo(expected);

        List<JsonNode> list = listRows("exp", "");
        assertThat(records).hasSize(list.size() + 1);
        for (int r = 0; r < list.size(); r++) {
            JsonNode row = list.get(r);
            String[] fields = records.get(r + 1);
            for (int c = 0; c < header.size(); c++) {
                String column = header.get(c);
                JsonNode value = column.startsWith("score.")
                        ? row.get("evaluator_scores").get(column.substring("score.".length())) : row.get(column);
                assertThat(fields[c]).as(row.get("session_id") + " " + column)
                        .isEqualTo(value == null || value.isNull() ? "" : value.asText());
            }
        }
        assertThat(export.body()).as("a field with quotes, a comma and a line break is quoted, quotes doubled")
                .contains("\"say \"\"hi\"\", then\r\nleave, café\"");
    }

    @Test
    void anEmptyExportIsAnEmptyBodyOrTheHeaderAlone() {
        Http.Response ndjson = http.get(exportPath(WS, "empty", ""));
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.body()).isEmpty();

        Http.Response csv = http.get(exportPath(WS, "empty", "format=csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).isEqualTo(String.join(",", SCALARS) + "\r\n");

        assertThat(http.get(exportPath(WS, "exp", "status=cancelled&format=csv")).body())
                .as("filtered to nothing").isEqualTo(String.join(",", SCALARS) + "\r\n");
    }

    @Test
    void unknownExperimentIs404AndBadParametersAre400BeforeAnyBody() {
        Http.Response unknown = http.get(exportPath(WS, "nope", ""));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");

        for (String query : List.of("format=xml", "status=bogus", "test_case_id=", "page=1", "page_size=10",
                "cursor=abc", "sort=bogus", "sort=latency_ms,latency_ms", "score=quality", "mode=full",
                "min_latency_ms=5&max_latency_ms=1", "input_contains=")) {
            Http.Response bad = http.get(exportPath(WS, "exp", query));
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.contentType()).as(query).startsWith("application/problem+json");
        }
    }

    /**
     * Sessions ingested while an export streams are not in it, and a session re-ingested meanwhile appears once, as
     * it was: the export is one statement's view. The client reads one line, ingests, then reads the rest.
     */
    @Test
    void sessionsIngestedWhileAnExportStreamsAreNotInIt() throws IOException {
        create(http, WS, "live");
        ExportFixtures.seedIndex(new Db(SERVER), WS, "live", 10_000, 1000);

        HttpResponse<InputStream> export = ExportFixtures.open(SERVER.baseUri(), exportPath(WS, "live", ""));
        assertThat(export.statusCode()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader body = new BufferedReader(new InputStreamReader(export.body(), StandardCharsets.UTF_8))) {
            rows.add(Http.JSON.readTree(body.readLine()));
            ingest(http, WS, Trajectories.upstreamShape("s-new", "live", "tc", T, 1.0));
            ingest(http, WS, Trajectories.upstreamShape("s-000005", "live", "tc", T, 1.0)); // re-ingested, moved
            String line;
            while ((line = body.readLine()) != null) {
                rows.add(Http.JSON.readTree(line));
            }
        }

        assertThat(rows).hasSize(10_000);
        assertThat(rows).extracting(r -> r.get("session_id").asText()).doesNotHaveDuplicates().doesNotContain("s-new");
        assertThat(rows.get(5).get("input").asText()).as("as it was").startsWith("5:xxx");
        List<JsonNode> after = lines(http.get(exportPath(WS, "live", "")).body());
        assertThat(after).hasSize(10_001);
        assertThat(after).extracting(r -> r.get("session_id").asText()).contains("s-new").doesNotHaveDuplicates();
    }

    /** How a client generated from the spec streams an export: its HTTP client and base URI, its model per line. */
    @Test
    void aGeneratedClientStreamsTheExportLineByLine() throws Exception {
        ApiClient sdk = SERVER.sdk();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sdk.getBaseUri() + exportPath(WS, "exp", "")));
        if (sdk.getRequestInterceptor() != null) {
            sdk.getRequestInterceptor().accept(request); // the SDK's own headers, e.g. Authorization
        }
        HttpResponse<Stream<String>> response = sdk.getHttpClient().send(request.GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        ObjectMapper mapper = sdk.getObjectMapper();
        List<ExperimentSessionResponse> rows;
        try (Stream<String> lines = response.body()) {
            rows = lines.map(line -> read(mapper, line)).toList();
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rows).extracting(ExperimentSessionResponse::getSessionId)
                .containsExactly("s-0", "s-1", "s-2", "s-3", "s-4", "s-tricky", "s-bare");
        assertThat(rows.get(5).getInput()).isEqualTo(TRICKY_INPUT);
    }

    private static ExperimentSessionResponse read(ObjectMapper mapper, String line) {
        try {
            return mapper.readValue(line, ExperimentSessionResponse.class);
        } catch (IOException e) {
            throw new IllegalStateException(line, e);
        }
    }

    static List<JsonNode> lines(String body) {
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                rows.add(Http.JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static List<String[]> csv(String body) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> records = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(body)) {
            while (it.hasNext()) {
                records.add(it.next());
            }
        }
        return records;
    }

    /** Every row of the list with these parameters, walked by cursor two rows a page. */
    private static List<JsonNode> walkList(String experiment, String query) {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = http.get(SESSIONS + experiment + "/sessions?page_size=2&" + query
                    + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("data").elements().forEachRemaining(rows::add);
            JsonNode next = page.json().get("pagination").get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        return rows;
    }

    private static List<JsonNode> listRows(String experiment, String query) {
        Http.Response page = http.get(SESSIONS + experiment + "/sessions?page_size=100" + (query.isEmpty() ? "" : "&" + query));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        Iterator<JsonNode> data = page.json().get("data").elements();
        data.forEachRemaining(rows::add);
        return rows;
    }

}
