package dev.intake.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the schema applied: creates the database, applies pending migrations in order (each recorded in
 * {@code schema_migrations}, so re-running is a no-op), and applies the retention setting. It runs in the
 * background, so the service starts and answers (not ready) while ClickHouse is down, and becomes ready by itself
 * when ClickHouse comes back. A migration that ClickHouse rejects is fatal: the service must not run on a schema it
 * does not understand.
 */
public final class SchemaKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaKeeper.class);

    /** Migrations in order; a file is never edited once released (its checksum is recorded). */
    static final List<String> MIGRATIONS = List.of(
            "V001__schema_migrations.sql",
            "V002__experiments.sql",
            "V003__spans.sql",
            "V004__evaluator_results.sql",
            "V005__experiment_sessions.sql",
            "V006__backfill_experiment_sessions.sql",
            "V007__experiment_sessions_output_and_first_indexed.sql",
            "V008__experiment_name_claims.sql",
            "V009__session_generations.sql",
            "V010__session_index_boolean_evaluators.sql",
            "V011__backfill_boolean_evaluators.sql",
            "V012__experiment_counters.sql",
            "V013__experiment_sessions_count_changes.sql",
            "V014__experiment_counters_from_sessions.sql",
            "V015__experiment_counters_from_experiments.sql",
            "V016__backfill_experiment_counters.sql");

    private static final Sql PING = Sql.load(SchemaKeeper.class, "ping.sql");
    private static final Sql APPLIED = Sql.load(SchemaKeeper.class, "applied-migrations.sql");
    private static final Sql RECORD = Sql.load(SchemaKeeper.class, "record-migration.sql");
    private static final Sql TABLES_WITH_TTL = Sql.load(SchemaKeeper.class, "tables-with-ttl.sql");

    /** Tables whose rows expire with RETENTION_DAYS, with the time column that dates them. */
    private static final Map<String, String> RETAINED = Map.of(
            "spans", "start_time", "evaluator_results", "created_at", "experiment_sessions", "started_at",
            "session_generations", "generation");

    private final Store bootstrap;
    private final Store store;
    private final String database;
    private final Topology topology;
    private final Optional<Integer> retentionDays;
    private final SchemaState state;
    private final Consumer<String> onFatal;
    private final Duration retryInterval;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param bootstrap a store on the server's default database (to create ours)
     * @param store     a store on our database
     * @param onFatal   called with a message when a migration is rejected; the caller stops the service
     */
    public SchemaKeeper(Store bootstrap, Store store, String database, Topology topology,
                        Optional<Integer> retentionDays, SchemaState state, Consumer<String> onFatal,
                        Duration retryInterval) {
        this.bootstrap = bootstrap;
        this.store = store;
        this.database = database;
        this.topology = topology;
        this.retentionDays = retentionDays;
        this.state = state;
        this.onFatal = onFatal;
        this.retryInterval = retryInterval;
        this.thread = new Thread(this::loop, "schema-keeper");
        this.thread.setDaemon(true);
    }

    /**
     * Tries once now (so a healthy start is ready at once), then keeps watching in the background.
     *
     * @throws MigrationFailedException when ClickHouse rejects a migration on this first attempt
     */
    public void start() {
        attempt();
        thread.start();
    }

    /** ClickHouse rejected a migration: the service must not run on this schema. */
    public static final class MigrationFailedException extends RuntimeException {
        MigrationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(retryInterval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                attempt();
            } catch (MigrationFailedException e) {
                running = false;
                onFatal.accept(e.getMessage());
            } catch (RuntimeException e) {
                // Never let the keeper die: readiness depends on it.
                LOG.error("Schema check failed unexpectedly; retrying", e);
            }
        }
    }

    /** One round: probe ClickHouse; if it answers and the schema is not known to be applied, apply it. */
    void attempt() {
        try {
            bootstrap.queryUnchecked(PING, Params.of(), rs -> rs.getInt(1));
            if (!state.isApplied()) {
                apply();
                state.markApplied();
                LOG.info("ClickHouse schema is applied (database {})", database);
            }
        } catch (MigrationFailedException e) {
            LOG.error(e.getMessage());
            throw e;
        } catch (StoreRejectedException e) {
            // ClickHouse refused a statement while migrating: the schema cannot be trusted.
            if (state.describe().startsWith("migrating")) {
                String msg = "Schema migration failed: " + StoreFailure.rootMessage(e);
                LOG.error(msg);
                throw new MigrationFailedException(msg, e);
            }
            state.markProblem("ClickHouse refused the schema check: " + StoreFailure.rootMessage(e));
        } catch (StoreUnavailableException e) {
            if (state.isApplied()) {
                LOG.warn("ClickHouse stopped answering: {}", StoreFailure.rootMessage(e));
            }
            state.markProblem("ClickHouse unreachable: " + StoreFailure.rootMessage(e));
        }
    }

    private void apply() {
        run(bootstrap, Sql.parse("create-database", "CREATE DATABASE IF NOT EXISTS `" + database + "`"), Params.of());
        state.markProblem("migrating");
        Sql first = Sql.load(SchemaKeeper.class, "migrations/" + MIGRATIONS.get(0));
        run(store, first, Params.of());
        Map<Integer, String> applied = new HashMap<>();
        store.queryUnchecked(APPLIED, Params.of(),
                rs -> applied.put(rs.getInt("version"), rs.getString("checksum")));
        for (String file : MIGRATIONS) {
            int version = Integer.parseInt(file.substring(1, 4));
            Sql sql = Sql.load(SchemaKeeper.class, "migrations/" + file);
            String checksum = sha256(sql.jdbcSql());
            String known = applied.get(version);
            if (known != null) {
                if (!known.equals(checksum)) {
                    LOG.warn("Migration {} changed after it was applied (checksum {} != {}); not re-applied",
                            file, checksum, known);
                }
                continue;
            }
            LOG.info("Applying migration {}", file);
            try {
                run(store, sql, Params.of());
            } catch (StoreRejectedException e) {
                throw new MigrationFailedException("Schema migration " + file + " failed: " + StoreFailure.rootMessage(e), e);
            }
            store.executeUnchecked(RECORD, Params.of("version", version).with("name", file).with("checksum", checksum));
        }
        applyRetention();
    }

    private void applyRetention() {
        Set<String> withTtl = new HashSet<>(store.queryUnchecked(TABLES_WITH_TTL, Params.of(),
                rs -> rs.getString("name")));
        for (Map.Entry<String, String> t : RETAINED.entrySet()) {
            // Table and column names come from the constant map above, never from input.
            if (retentionDays.isPresent()) {
                run(store, Sql.parse("retention-" + t.getKey(), "ALTER TABLE " + t.getKey()
                        + " MODIFY TTL toDateTime(" + t.getValue() + ") + toIntervalDay(:days)"),
                        Params.of("days", retentionDays.get()));
            } else if (withTtl.contains(t.getKey())) {
                run(store, Sql.parse("retention-" + t.getKey(), "ALTER TABLE " + t.getKey() + " REMOVE TTL"),
                        Params.of());
            }
        }
        LOG.info("Retention: {}", retentionDays.map(d -> d + " days").orElse("off (rows are kept)"));
    }

    /**
     * Every statement a first migration runs on this topology, in order, as {@link #apply} runs them (the same
     * translation of the same files): what the cluster-mode checks parse with the engine.
     */
    public static List<String> migrationStatements(Topology topology) {
        List<String> out = new ArrayList<>();
        for (String file : MIGRATIONS) {
            Sql sql = Sql.load(SchemaKeeper.class, "migrations/" + file);
            out.addAll(topology.statements(sql.name(), sql.jdbcSql()));
        }
        return out;
    }

    /** Runs one schema statement as the topology needs it (on a cluster: ON CLUSTER, local and Distributed tables). */
    private void run(Store target, Sql sql, Params params) {
        for (String statement : topology.statements(sql.name(), sql.jdbcSql())) {
            target.executeUnchecked(sql.withText(statement), params);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
