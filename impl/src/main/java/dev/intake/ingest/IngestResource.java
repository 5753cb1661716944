package dev.intake.ingest;

import dev.intake.api.IngestApi;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.IngestResult;
import java.util.List;

/** ATIF ingest: one trajectory per request becomes one session. */
public final class IngestResource implements IngestApi {
    private final IngestWriter writer;

    public IngestResource(IngestWriter writer) {
        this.writer = writer;
    }

    @Override
    public IngestResult ingestAtifTrajectory(String workspace, AtifTrajectory trajectory) {
        MappedTrajectory m = writer.write(workspace, List.of(trajectory)).get(0);
        return new IngestResult(workspace, m.sessionId(), m.sessionId(), m.rootSpanId(),
                m.experiment() == null ? null : m.experiment().name(), m.testCaseId(), m.spans().size(),
                m.results().size());
    }
}
