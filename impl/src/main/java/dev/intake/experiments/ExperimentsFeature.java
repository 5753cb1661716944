package dev.intake.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.store.Store;
import java.time.Clock;

/** The experiments feature's one door: its resource, and the lookup other features need (through the root). */
public final class ExperimentsFeature {
    private final ExperimentsStore experiments;

    public ExperimentsFeature(Store store) {
        this.experiments = new ExperimentsStore(store);
    }

    /**
     * The CRUD resource.
     *
     * @param clock        the time of created_at and updated_at
     * @param beforeDelete runs before an experiment is deleted
     */
    public Object resource(ObjectMapper json, Clock clock, BeforeDelete beforeDelete) {
        return new ExperimentsResource(experiments, json, clock, beforeDelete);
    }

    /** Whether a live experiment holds this name (ClickHouse down: the store's unavailable exception, never false). */
    public boolean exists(String workspace, String name) {
        return experiments.exists(workspace, name);
    }
}
