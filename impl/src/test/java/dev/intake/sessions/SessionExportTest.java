package dev.intake.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.intake.web.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionExportTest {
    @Test
    void csvColumnsAreTheSchemasScalarPropertiesInSpecOrderThenTheScoresInTheGivenOrder() throws IOException {
        JsonNode schema;
        try (InputStream in = SessionExportTest.class.getResourceAsStream("/openapi.yaml")) {
            schema = new ObjectMapper(new YAMLFactory()).readTree(in)
                    .at("/components/schemas/ExperimentSessionResponse/properties");
        }
        List<String> scalars = new ArrayList<>();
        schema.properties().forEach(p -> {
            if (!"object".equals(p.getValue().path("type").asText())) {
                scalars.add(p.getKey());
            }
        });
        assertThat(scalars).contains("session_id", "cost_total_usd").doesNotContain("evaluator_scores");

        SessionExport export = new SessionExport(null, ApiJson.create(), Duration.ofSeconds(1));
        List<String> expected = new ArrayList<>(scalars);
        expected.addAll(List.of("score.alpha", "score.beta"));
        assertThat(export.csvHeader(List.of("alpha", "beta"))).isEqualTo(expected);
    }
}
