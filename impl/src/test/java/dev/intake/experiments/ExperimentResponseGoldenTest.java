package dev.intake.experiments;

import dev.intake.Golden;
import dev.intake.api.model.ExperimentRequest;
import dev.intake.web.ApiJson;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExperimentResponseGoldenTest {
    final ExperimentMapper mapper = new ExperimentMapper(ApiJson.create());

    @Test
    void anExperimentWithEveryField() {
        ExperimentRequest request = new ExperimentRequest("exp-1", "my-agent", "1.0", "gsm8k").datasetVersion("v2")
                .experimentGroupId("g-1").sourceLink("https://example.org/run/1").description("first run")
                .summary("ok").metadata(new java.util.TreeMap<>(Map.of("temperature", 0.2, "tags", java.util.List.of("a", "b"))));
        Instant created = Instant.parse("2026-11-26T10:00:00.000001Z");

        Golden.assertMatches("experiment", mapper.toResponse(mapper.fromRequest("demo",
                UUID.fromString("00000000-0000-4000-8000-000000000001"), request, created, created.plusSeconds(60))));
    }

    @Test
    void anExperimentWithOnlyTheRequiredFields() {
        Instant created = Instant.parse("2026-11-26T10:00:00Z");

        Golden.assertMatches("experiment-minimal", mapper.toResponse(mapper.fromRequest("demo",
                UUID.fromString("00000000-0000-4000-8000-000000000002"),
                new ExperimentRequest("exp-2", "my-agent", "1.0", "gsm8k"), created, created)));
    }
}
