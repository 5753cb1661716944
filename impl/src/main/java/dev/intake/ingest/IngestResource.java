package dev.intake.ingest;

import dev.intake.api.IngestApi;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.AtifTrajectoryBatch;
import dev.intake.api.model.IngestBatchResult;
import dev.intake.api.model.IngestResult;
import java.util.ArrayList;
import java.util.List;

/** ATIF ingest: each trajectory becomes one session; a batch is stored with the same few writes as one. */
final class IngestResource implements IngestApi {
    private final IngestWriter writer;

    IngestResource(IngestWriter writer) {
        this.writer = writer;
    }

    @Override
    public IngestResult ingestAtifTrajectory(String workspace, AtifTrajectory trajectory) {
        return result(workspace, writer.write(workspace, List.of(trajectory), i -> "$").get(0));
    }

    @Override
    public IngestBatchResult ingestAtifTrajectoryBatch(String workspace, AtifTrajectoryBatch batch) {
        List<IngestResult> results = new ArrayList<>();
        int spans = 0;
        int evaluatorResults = 0;
        for (MappedTrajectory m : writer.write(workspace, batch.getTrajectories(), i -> "$.trajectories[" + i + "]")) {
            results.add(result(workspace, m));
            spans += m.spans().size();
            evaluatorResults += m.results().size();
        }
        return new IngestBatchResult(workspace, results, spans, evaluatorResults);
    }

    static IngestResult result(String workspace, MappedTrajectory m) {
        return new IngestResult(workspace, m.sessionId(), m.sessionId(), m.rootSpanId(),
                m.experimentName(), m.testCaseId(), m.spans().size(),
                m.results().size());
    }
}
