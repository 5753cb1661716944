package dev.intake.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.store.Store;
import dev.intake.web.BodyRules;
import java.util.Map;

/** Ingest's one door: the ATIF ingest resource, and the rules its request bodies are checked with. */
public final class IngestFeature {
    private final IngestResource resource;

    /**
     * @param experiments whether the experiment a trajectory names exists
     * @param sessions    refreshes the session list's rows of the sessions just written
     * @param observer    told what each successful ingest wrote
     */
    public IngestFeature(Store store, ObjectMapper json, KnownExperiments experiments, SessionRows sessions,
                         IngestObserver observer) {
        this.resource = new IngestResource(new IngestWriter(store, experiments, sessions, json, observer));
    }

    public Object resource() {
        return resource;
    }

    /** The rules by request body type, for {@code BodyValidation}. */
    public Map<Class<?>, BodyRules> bodyRules() {
        return IngestBodyRules.byBodyType();
    }
}
