package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.config.AppConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The log is one JSON object per line, and each request leaves an access line carrying its fields. */
@ExtendWith(ContractChecked.class)
class LogsIT {
    @Test
    void eachRequestLeavesOneJsonAccessLineWithItsFields() throws IOException {
        Http http = TestServer.shared().awaitReady(Duration.ofSeconds(60)).http();
        String ws = Experiments.uniqueWorkspace();
        String requestId = "logs-" + UUID.randomUUID();
        Experiments.create(http, ws, "exp-logs");
        List<JsonNode> lines;
        String text;
        try (LogCapture log = new LogCapture()) {
            Http.Response r = http.withHeader("X-Request-Id", requestId)
                    .get("/apis/intake/v2/workspaces/" + ws + "/experiments/exp-logs/sessions?page_size=5");
            assertThat(r.status()).isEqualTo(200);
            text = awaitLine(log, requestId);
            lines = jsonLines(text);
        }

        List<JsonNode> access = lines.stream().filter(l -> requestId.equals(l.path("request_id").asText())
                && "dev.intake.web.AccessLog".equals(l.path("logger").asText())).toList();
        assertThat(access).as("access lines of the request in\n" + text).hasSize(1);
        JsonNode line = access.get(0);
        assertThat(Instant.parse(line.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).startsWith("GET /apis/intake/v2/workspaces/{workspace}/experiments/{name}/sessions -> 200");
        assertThat(line.get("operation_id").asText()).isEqualTo("listExperimentSessions");
        assertThat(line.get("workspace").asText()).isEqualTo(ws);
        assertThat(line.get("method").asText()).isEqualTo("GET");
        assertThat(line.get("route").asText()).isEqualTo("/apis/intake/v2/workspaces/{workspace}/experiments/{name}/sessions");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("duration_ms").isNumber()).isTrue();
        assertThat(line.get("duration_ms").asDouble()).isPositive();
        assertThat(line.get("bytes").asLong()).isPositive();
    }

    @Test
    void anUnknownLogFormatStopsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> AppConfig.from(Map.of("LOG_FORMAT", "xml")))
                .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("LOG_FORMAT");
        assertThat(AppConfig.from(Map.of("LOG_FORMAT", "text"))).isNotNull();
    }

    /** The access line is written once the answer has gone out, a moment after the client has it. */
    private static String awaitLine(LogCapture log, String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!log.text().contains("\"dev.intake.web.AccessLog\"") || !log.text().contains(requestId)) {
            if (System.nanoTime() > deadline) {
                break;
            }
            TestServer.sleep(20);
        }
        return log.text();
    }

    /** Every line the server wrote must be a JSON object (the test's own output is not captured here). */
    private static List<JsonNode> jsonLines(String text) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                JsonNode node = Http.JSON.readTree(l);
                assertThat(node.isObject()).as("a JSON object per line: " + l).isTrue();
                lines.add(node);
            }
        }
        return lines;
    }
}
