package dev.intake.sessions;

import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.web.ConditionalGets;
import java.util.List;

/**
 * The versions behind ETags: how many writes have touched an experiment (its index rows or its own row) or a
 * workspace's experiment list, from {@code experiment_counters}, which the writing statements keep current; one
 * small read, the same on every instance that shares the store.
 */
final class ExperimentVersions implements ConditionalGets.Versions {
    private static final Sql VERSIONS = Sql.load(ExperimentVersions.class, "versions.sql");

    private final Store store;

    ExperimentVersions(Store store) {
        this.store = store;
    }

    @Override
    public long current(String workspace, List<String> scopes) {
        if (scopes.isEmpty() || scopes.size() > 2) {
            throw new IllegalArgumentException("one or two scopes, got " + scopes);
        }
        Params p = Params.of("workspace", workspace).with("scope", scopes.get(0))
                .with("other_scope", scopes.get(scopes.size() - 1));
        return store.query(VERSIONS, p, rs -> rs.getLong("writes")).get(0);
    }
}
