package dev.intake.analysis;

import dev.intake.store.Store;

/** Analysis's one door: the resource of statistics, test-case rollups and comparisons. */
public final class AnalysisFeature {
    private final AnalysisResource resource;

    /**
     * @param experiments whether an experiment exists (an empty answer or a 404)
     * @param selections  the session list's selection for the same filters (statistics select what the list does)
     */
    public AnalysisFeature(Store store, KnownExperiments experiments, SessionSelections selections) {
        this.resource = new AnalysisResource(store, experiments, selections);
    }

    public Object resource() {
        return resource;
    }
}
