package dev.intake.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the schema lives: one ClickHouse node (or ClickHouse Cloud, one endpoint whose SharedMergeTree replicates by
 * itself), or a named cluster of shards and replicas. Every migration is written once, for one node; this is the
 * one code path that turns each of its statements into what the topology needs, so single-node and cluster DDL
 * can never drift apart. On a cluster:
 * <ul>
 *   <li>each table {@code t} becomes {@code t_local}, a {@code Replicated*MergeTree} with the same columns, key,
 *       version and is_deleted columns, created {@code ON CLUSTER} on every node, plus a {@code Distributed} table
 *       {@code t} in front of it, so every statement of the features reads and writes {@code t} unchanged;</li>
 *   <li>the sharding key keeps one session's spans, evaluator results and session-index row on one shard
 *       ({@code cityHash64(workspace, session_id)}): ingest's refresh reads and writes one session, and FINAL,
 *       which is applied per shard, stays exact because every version of a row lands on the same shard;
 *       experiments are sharded by their name's key;</li>
 *   <li>{@code schema_migrations} is replicated to every node (one replica set across the whole cluster), so the
 *       cluster has one migration history;</li>
 *   <li>a materialized view is created {@code ON CLUSTER} on the local table of its source (where inserts land)
 *       and writes to its target's Distributed front;</li>
 *   <li>{@code ALTER} of columns applies to the local table and its Distributed front; other {@code ALTER}s
 *       (settings, TTL) to the local table only.</li>
 * </ul>
 * A statement shape this class does not know fails loudly in cluster mode rather than run half-translated.
 */
public final class Topology {
    /** Sharding keys of the tables behind a Distributed front; a table missing here cannot be created on a cluster. */
    static final Map<String, String> SHARDING_KEYS = Map.of(
            "experiments", "cityHash64(workspace, name)",
            "spans", "cityHash64(workspace, session_id)",
            "evaluator_results", "cityHash64(workspace, session_id)",
            "experiment_sessions", "cityHash64(workspace, session_id)",
            "session_generations", "cityHash64(workspace, session_id)",
            "experiment_counters", "cityHash64(workspace, experiment_name)");
    /** Tables replicated to every node of the cluster instead of sharded. */
    static final List<String> EVERYWHERE = List.of("schema_migrations");
    /** Where replicas of a sharded table meet in Keeper: one path per shard, table and database. */
    static final String SHARD_PATH = "/clickhouse/tables/{shard}/{database}/{table}";
    /** Where replicas of a table kept on every node meet: one path for the whole cluster. */
    static final String CLUSTER_PATH = "/clickhouse/tables/all/{database}/{table}";

    private static final Pattern CLUSTER_NAME = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE TABLE IF NOT EXISTS (\\w+) \\((.*)\\) ENGINE = (\\w*)MergeTree\\(([^)]*)\\)(.*)", Pattern.DOTALL);
    private static final Pattern CREATE_VIEW = Pattern.compile(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS (\\w+) TO (\\w+) AS(\\s+.*?\\bFROM\\s+)(\\w+)\\b(.*)", Pattern.DOTALL);
    private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE DATABASE IF NOT EXISTS (`?\\w+`?)");
    private static final Pattern ALTER_TABLE = Pattern.compile("ALTER TABLE (\\w+) (.*)", Pattern.DOTALL);
    private static final Pattern COLUMN_ALTER = Pattern.compile(
            "(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR) COLUMN\\b.*", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    private final Optional<String> cluster;

    private Topology(Optional<String> cluster) {
        this.cluster = cluster;
    }

    /** One node, or ClickHouse Cloud: every statement runs as written. */
    public static Topology singleNode() {
        return new Topology(Optional.empty());
    }

    /**
     * A cluster as named in the servers' {@code remote_servers} configuration.
     *
     * @throws IllegalArgumentException when the name is not a plain cluster name (it is written into DDL)
     */
    public static Topology cluster(String name) {
        if (!CLUSTER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a cluster name: '" + name + "' (letters, digits, _ . -)");
        }
        return new Topology(Optional.of(name));
    }

    /** The cluster's name, when there is one. */
    public Optional<String> clusterName() {
        return cluster;
    }

    /**
     * The statements that carry out one schema statement on this topology, in order.
     *
     * @param origin where the statement comes from (a migration file), for error messages
     */
    public List<String> statements(String origin, String statement) {
        if (cluster.isEmpty()) {
            return List.of(statement);
        }
        String on = " ON CLUSTER '" + cluster.get() + "'";
        String body = withoutLeadingComments(statement);
        Matcher m = CREATE_TABLE.matcher(body);
        if (m.matches()) {
            return createTable(origin, on, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
        }
        m = CREATE_VIEW.matcher(body);
        if (m.matches()) {
            // A view fires on the inserts a node receives, which reach the local table of a Distributed front; it
            // writes through the target's Distributed front, so its rows are routed by their own sharding key.
            return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + m.group(1) + on + " TO " + m.group(2) + " AS"
                    + m.group(3) + m.group(4) + "_local" + m.group(5));
        }
        m = CREATE_DATABASE.matcher(body);
        if (m.matches()) {
            return List.of(body + on);
        }
        m = ALTER_TABLE.matcher(body);
        if (m.matches()) {
            return alterTable(m.group(1), m.group(2), on);
        }
        if (body.regionMatches(true, 0, "INSERT INTO ", 0, 12)) {
            // Data statements go through the Distributed fronts, which route each row by its sharding key.
            return List.of(statement);
        }
        throw new IllegalStateException(origin + ": statement not understood in cluster mode: "
                + body.lines().findFirst().orElse(""));
    }

    private List<String> createTable(String origin, String on, String table, String columns, String variant,
                                     String engineArgs, String rest) {
        String args = engineArgs.isBlank() ? "" : ", " + engineArgs;
        if (EVERYWHERE.contains(table)) {
            return List.of("CREATE TABLE IF NOT EXISTS " + table + on + " (" + columns + ") ENGINE = Replicated"
                    + variant + "MergeTree('" + CLUSTER_PATH + "', '{replica}'" + args + ")" + rest);
        }
        String key = SHARDING_KEYS.get(table);
        if (key == null) {
            throw new IllegalStateException(origin + ": table " + table + " has no sharding key (Topology.SHARDING_KEYS)");
        }
        String local = table + "_local";
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + local + on + " (" + columns + ") ENGINE = Replicated" + variant
                        + "MergeTree('" + SHARD_PATH + "', '{replica}'" + args + ")" + rest,
                "CREATE TABLE IF NOT EXISTS " + table + on + " AS " + local + " ENGINE = Distributed('"
                        + cluster.get() + "', currentDatabase(), '" + local + "', " + key + ")");
    }

    private List<String> alterTable(String table, String action, String on) {
        // A replicated table deduplicates inserts through Keeper with its own window setting.
        String replicatedAction = action.replace("non_replicated_deduplication_window", "replicated_deduplication_window");
        if (EVERYWHERE.contains(table)) {
            return List.of("ALTER TABLE " + table + on + " " + replicatedAction);
        }
        String local = "ALTER TABLE " + table + "_local" + on + " " + replicatedAction;
        if (COLUMN_ALTER.matcher(action.strip()).matches()) {
            return List.of(local, "ALTER TABLE " + table + on + " " + action);
        }
        return List.of(local);
    }

    private static String withoutLeadingComments(String statement) {
        StringBuilder out = new StringBuilder();
        boolean leading = true;
        for (String line : statement.strip().split("\n", -1)) {
            if (leading && (line.isBlank() || line.strip().startsWith("--"))) {
                continue;
            }
            leading = false;
            out.append(line).append('\n');
        }
        return out.toString().strip();
    }

    @Override
    public String toString() {
        return cluster.map(c -> "cluster '" + c + "'").orElse("single node");
    }
}
