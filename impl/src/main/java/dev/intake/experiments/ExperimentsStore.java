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
final class ExperimentsStore {
    private static final Sql FIND = Sql.load(ExperimentsStore.class, "find.sql");
    private static final Sql EXISTS = Sql.load(ExperimentsStore.class, "exists.sql");
    private static final Sql WRITE = Sql.load(ExperimentsStore.class, "write.sql");
    private static final Sql NAME_STATE = Sql.load(ExperimentsStore.class, "name-state.sql");
    private static final Sql CREATE = Sql.load(ExperimentsStore.class, "create.sql");
    /**
     * The version of a delete's tombstone: the greatest a row can have, so no write that raced the delete (an
     * update that read the experiment just before it, on any instance) can outrank it and bring the row back.
     */
    static final Instant TOMBSTONE = Instant.parse("2299-12-31T23:59:59.999999Z");
    /** The list's filters, written once for the page and its total. */
    private static final Map<String, String> FILTER = Map.of("/*EXPERIMENT_FILTER*/",
            Sql.fragments(ExperimentsStore.class, "filter.sql").get("live_in_workspace"));
    private static final Sql COUNT = Sql.compose(ExperimentsStore.class, "count.sql", FILTER);
    private static final Map<ExperimentSort, Sql> LIST = listBySort();

    private static final RowReader<Experiment> ROW = rs -> new Experiment(
            UUID.fromString(rs.getString("id")), rs.getString("workspace"), rs.getString("name"),
            rs.getString("agent_name"), rs.getString("agent_version"), rs.getString("dataset_name"),
            rs.getString("dataset_version"), rs.getString("experiment_group_id"), rs.getString("source_link"),
            rs.getString("metadata"), rs.getString("description"), rs.getString("summary"),
            Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"));

    private final Store store;

    ExperimentsStore(Store store) {
        this.store = store;
    }

    /** Filters of a list; null means "any". */
    record Filter(String name, String agentName, String datasetName) {
        Params params(String workspace) {
            return Params.of("workspace", workspace).with("name", name).with("agent_name", agentName)
                    .with("dataset_name", datasetName);
        }
    }

    /** Whether a live experiment holds this name (find's answer without reading its columns). */
    boolean exists(String workspace, String name) {
        return !store.query(EXISTS, Params.of("workspace", workspace).with("name", name), rs -> rs.getInt(1))
                .isEmpty();
    }

    Optional<Experiment> find(String workspace, String name) {
        return store.query(FIND, Params.of("workspace", workspace).with("name", name), ROW).stream().findFirst();
    }

    List<Experiment> list(String workspace, Filter filter, ExperimentSort sort, int limit, long offset) {
        return store.query(LIST.get(sort), filter.params(workspace).with("limit", limit).with("offset", offset), ROW);
    }

    long count(String workspace, Filter filter) {
        return store.query(COUNT, filter.params(workspace), rs -> rs.getLong("total")).get(0);
    }

    /** How many experiments have ever held a name (its generation) and how many of them are live. */
    record NameState(long generation, long live) {
    }

    NameState nameState(String workspace, String name) {
        return store.query(NAME_STATE, Params.of("workspace", workspace).with("name", name),
                rs -> new NameState(rs.getLong("generation"), rs.getLong("live"))).get(0);
    }

    /**
     * Stores a new experiment unless another creator already claimed the same generation of its name (see
     * create.sql); the caller reads the name afterwards to learn whether its own id holds it.
     */
    void create(Experiment e, long generation) {
        store.execute(CREATE, rowParams(e, Versions.next())
                .with("claim_token", "experiment-name/" + e.workspace() + "/" + e.name() + "/" + generation));
    }

    /** Writes a new version of an existing experiment: an update, or its deletion (which nothing can outrank). */
    void write(Experiment e, boolean deleted) {
        store.execute(WRITE, rowParams(e, deleted ? TOMBSTONE : Versions.next()).with("is_deleted", deleted ? 1 : 0));
    }

    private static Params rowParams(Experiment e, Instant version) {
        return Params.of("workspace", e.workspace()).with("name", e.name()).with("id", e.id())
                .with("agent_name", e.agentName()).with("agent_version", e.agentVersion())
                .with("dataset_name", e.datasetName()).with("dataset_version", e.datasetVersion())
                .with("experiment_group_id", e.experimentGroupId()).with("source_link", e.sourceLink())
                .with("metadata", e.metadataJson()).with("description", e.description()).with("summary", e.summary())
                .with("created_at", e.createdAt()).with("updated_at", e.updatedAt()).with("version", version);
    }

    /** The ORDER BY clause of each sort value; ties always broken by name, then id, so pages are stable. */
    private static Map<ExperimentSort, Sql> listBySort() {
        Sql list = Sql.compose(ExperimentsStore.class, "list.sql", FILTER);
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
