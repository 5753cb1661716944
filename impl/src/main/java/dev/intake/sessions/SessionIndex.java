package dev.intake.sessions;

import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.Versions;
import java.util.List;

/**
 * Writes the session index that the list reads: recomputes the rows of the given sessions from their current spans
 * and results (see refresh.sql). Ingest calls it last, so a session becomes visible only when complete.
 */
final class SessionIndex {
    private static final Sql REFRESH = Sql.load(SessionIndex.class, "refresh.sql");
    private static final Sql RETIRE_EXPERIMENT = Sql.load(SessionIndex.class, "retire-experiment.sql");

    private final Store store;

    public SessionIndex(Store store) {
        this.store = store;
    }

    /**
     * Recomputes the rows of sessions just ingested, each from its latest complete generation and in the experiment
     * its trajectory names (see refresh.sql).
     */
    public void refresh(String workspace, List<String> sessionIds) {
        store.execute(REFRESH, Params.of("workspace", workspace).with("session_ids", sessionIds));
    }

    /** Removes every session of an experiment that is being deleted from the index. */
    public void retireExperiment(String workspace, String experimentName) {
        store.execute(RETIRE_EXPERIMENT, Params.of("workspace", workspace).with("experiment_name", experimentName)
                .with("version", Versions.next()));
    }
}
