package dev.intake.store;

import dev.intake.store.SchemaState.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the schema applied: the readiness and retry loop around the migration runner ({@link Migrations}). It runs
 * in the background, so the service starts and answers (not ready) while ClickHouse is down, and becomes ready by
 * itself when ClickHouse comes back. A migration that ClickHouse rejects is fatal: the service must not run on a
 * schema it does not understand.
 */
public final class SchemaKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaKeeper.class);
    private static final Sql PING = Sql.load(SchemaKeeper.class, "ping.sql");

    private final Store bootstrap;
    private final Migrations migrations;
    private final String database;
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
        this.migrations = new Migrations(bootstrap, store, database, topology, retentionDays);
        this.database = database;
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
                migrations.createDatabase();
                state.set(Phase.MIGRATING);
                migrations.apply();
                state.set(Phase.APPLIED);
                LOG.info("ClickHouse schema is applied (database {})", database);
            }
        } catch (Migrations.RejectedMigration e) {
            throw fatal("Schema migration " + e.file() + " failed: " + StoreFailure.rootMessage(e.getCause()), e);
        } catch (StoreRejectedException e) {
            // ClickHouse refused a statement while migrating: the schema cannot be trusted.
            if (state.phase() == Phase.MIGRATING) {
                throw fatal("Schema migration failed: " + StoreFailure.rootMessage(e), e);
            }
            state.set(Phase.REFUSED, StoreFailure.rootMessage(e));
        } catch (StoreUnavailableException e) {
            if (state.isApplied()) {
                LOG.warn("ClickHouse stopped answering: {}", StoreFailure.rootMessage(e));
            }
            state.set(Phase.UNREACHABLE, StoreFailure.rootMessage(e));
        }
    }

    private static MigrationFailedException fatal(String message, RuntimeException cause) {
        LOG.error(message);
        return new MigrationFailedException(message, cause);
    }

    /**
     * Every statement a first migration runs on this topology, in order, as the keeper runs them (the same
     * translation of the same files): what the cluster-mode checks parse with the engine.
     */
    public static List<String> migrationStatements(Topology topology) {
        return Migrations.statements(topology);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
