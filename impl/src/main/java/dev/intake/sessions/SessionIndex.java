package dev.intake.sessions;

import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.Versions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes the session index that the list reads: recomputes the rows of the given sessions from their current spans
 * and results (see refresh.sql). Ingest calls it last, so a session becomes visible only when complete.
 */
public final class SessionIndex {
    /** The experiment id used to retire index rows of sessions that now belong to no experiment. */
    public static final UUID NO_EXPERIMENT = new UUID(0, 0);
    private static final Sql REFRESH = Sql.load(SessionIndex.class, "refresh.sql");
    private static final Sql RETIRE_EXPERIMENT = Sql.load(SessionIndex.class, "retire-experiment.sql");

    private final Store store;

    public SessionIndex(Store store) {
        this.store = store;
    }

    /**
     * @param experimentName the experiment's name, or "" to only retire the sessions' rows
     */
    public void refresh(String workspace, UUID experimentId, String experimentName, List<String> sessionIds,
                        Instant version) {
        store.execute(REFRESH, Params.of("workspace", workspace).with("experiment_id", experimentId)
                .with("experiment_name", experimentName).with("session_ids", sessionIds).with("version", version));
    }

    /** Removes every session of an experiment that is being deleted from the index. */
    public void retireExperiment(String workspace, String experimentName) {
        store.execute(RETIRE_EXPERIMENT, Params.of("workspace", workspace).with("experiment_name", experimentName)
                .with("version", Versions.next()));
    }
}
