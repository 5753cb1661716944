package dev.intake.experiments;

import dev.intake.api.model.ExperimentSort;
import dev.intake.store.Columns;
import dev.intake.store.Params;
import dev.intake.store.RowReader;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.Versions;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The experiments table: every read and write of experiments, each a statement from this package's SQL files. */
public final class ExperimentsStore implements Experiments {
    private static final Sql FIND = Sql.load(ExperimentsStore.class, "find.sql");
    private static final Sql WRITE = Sql.load(ExperimentsStore.class, "write.sql");
    private static final Sql COUNT = Sql.load(ExperimentsStore.class, "count.sql");
    private static final Map<ExperimentSort, Sql> LIST = listBySort();

    private static final RowReader<Experiment> ROW = rs -> new Experiment(
            UUID.fromString(rs.getString("id")), rs.getString("workspace"), rs.getString("name"),
            rs.getString("agent_name"), rs.getString("agent_version"), rs.getString("dataset_name"),
            rs.getString("dataset_version"), rs.getString("experiment_group_id"), rs.getString("source_link"),
            rs.getString("metadata"), rs.getString("description"), rs.getString("summary"),
            Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"));

    private final Store store;

    public ExperimentsStore(Store store) {
        this.store = store;
    }

    /** Filters of a list; null means "any". */
    record Filter(String name, String agentName, String datasetName) {
        Params params(String workspace) {
            return Params.of("workspace", workspace).with("name", name).with("agent_name", agentName)
                    .with("dataset_name", datasetName);
        }
    }

    @Override
    public Optional<Experiment> find(String workspace, String name) {
        return store.query(FIND, Params.of("workspace", workspace).with("name", name), ROW).stream().findFirst();
    }

    List<Experiment> list(String workspace, Filter filter, ExperimentSort sort, int limit, long offset) {
        return store.query(LIST.get(sort), filter.params(workspace).with("limit", limit).with("offset", offset), ROW);
    }

    long count(String workspace, Filter filter) {
        return store.query(COUNT, filter.params(workspace), rs -> rs.getLong("total")).get(0);
    }

    void write(Experiment e, boolean deleted) {
        Instant version = Versions.next();
        store.execute(WRITE, Params.of("workspace", e.workspace()).with("name", e.name()).with("id", e.id())
                .with("agent_name", e.agentName()).with("agent_version", e.agentVersion())
                .with("dataset_name", e.datasetName()).with("dataset_version", e.datasetVersion())
                .with("experiment_group_id", e.experimentGroupId()).with("source_link", e.sourceLink())
                .with("metadata", e.metadataJson()).with("description", e.description()).with("summary", e.summary())
                .with("created_at", e.createdAt()).with("updated_at", e.updatedAt()).with("version", version)
                .with("is_deleted", deleted ? 1 : 0));
    }

    /** The ORDER BY clause of each sort value; ties always broken by name, then id, so pages are stable. */
    private static Map<ExperimentSort, Sql> listBySort() {
        Sql list = Sql.load(ExperimentsStore.class, "list.sql");
        Map<ExperimentSort, Sql> m = new EnumMap<>(ExperimentSort.class);
        for (ExperimentSort sort : ExperimentSort.values()) {
            String value = sort.toString();
            boolean descending = value.startsWith("-");
            String column = descending ? value.substring(1) : value;
            String clause = switch (column) {
                case "created_at", "updated_at", "name" -> "ORDER BY " + column + (descending ? " DESC" : " ASC")
                        + ", name ASC, id ASC";
                default -> throw new IllegalStateException("No ORDER BY for sort " + value);
            };
            m.put(sort, list.withFragment("/*ORDER BY*/", clause));
        }
        return m;
    }
}
