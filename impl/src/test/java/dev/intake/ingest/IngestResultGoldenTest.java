package dev.intake.ingest;

import static dev.intake.ingest.AtifMapperTest.NOW;
import static dev.intake.ingest.AtifMapperTest.agent;
import static dev.intake.ingest.AtifMapperTest.trajectory;

import dev.intake.Golden;
import dev.intake.api.model.AtifExperimentContext;
import dev.intake.web.ApiJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestResultGoldenTest {
    final AtifMapper mapper = new AtifMapper(ApiJson.create());

    @Test
    void aTrajectoryOfAnExperimentWithAVerifier() {
        MappedTrajectory m = mapper.map("demo", trajectory(agent(1, 100L, 0.05), agent(2, 10L, null))
                .sessionId("run-1-case-a").experimentContext(new AtifExperimentContext("exp-1").testCaseId("case-a"))
                .extra(Map.of("verifier_result", Map.of("rewards", Map.of("correct", true, "quality", 0.9)))),
                "exp-1", NOW);

        Golden.assertMatches("ingest-result", IngestResource.result("demo", m));
    }

    @Test
    void aTrajectoryWithoutExperiment() {
        Golden.assertMatches("ingest-result-no-experiment",
                IngestResource.result("demo", mapper.map("demo", trajectory(agent(1, null, null)), null, NOW)));
    }
}
