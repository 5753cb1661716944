package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Versioned migrations: applied once and recorded, no-ops when re-run, fatal when ClickHouse rejects one. */
class MigrationsIT {
    static String freshDatabase() {
        return "it_mig_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The versions of the migration files in the server's sources (V001__x.sql → 1), in order. */
    static List<Integer> migrationFileVersions() {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of("../impl/src/main/resources/dev/intake/store/migrations"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d{3}__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, 4))).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void migrationsAreRecordedOnceAndReRunningChangesNothing() {
        String database = freshDatabase();
        Map<String, String> env = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", database);
        List<Map<String, Object>> first;
        try (TestServer server = TestServer.start(env).awaitReady(Duration.ofSeconds(60))) {
            first = new Db(server).rows("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
            Experiments.create(server.http(), "ws", "kept");
        }

        try (TestServer again = TestServer.start(env).awaitReady(Duration.ofSeconds(60))) {
            Db db = new Db(again);
            assertThat(first).extracting(r -> ((Number) r.get("version")).intValue())
                    .as("every migration file, recorded once, in order").containsExactlyElementsOf(migrationFileVersions());
            assertThat(db.rows("SELECT version, name, checksum FROM schema_migrations ORDER BY version"))
                    .as("nothing re-applied or re-recorded").isEqualTo(first);
            assertThat(((Number) db.rows("SELECT count() AS n FROM schema_migrations").get(0).get("n")).intValue())
                    .isEqualTo(migrationFileVersions().size());
            assertThat(again.http().get("/apis/intake/v2/workspaces/ws/experiments/kept").status()).as("data kept").isEqualTo(200);
        }
    }

    @Test
    void aMigrationClickHouseRejectsStopsStartUpNamingIt() {
        String database = freshDatabase();
        Map<String, String> env = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", database);
        try (TestServer server = TestServer.start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", "default"))) {
            // A table of the same name but another shape, made by someone else: the backfill cannot write into it.
            Db db = new Db(server);
            db.execute("CREATE DATABASE " + database);
            db.execute("CREATE TABLE " + database + ".experiment_sessions (x UInt8) ENGINE = Memory");
        }

        assertThatThrownBy(() -> TestServer.start(env)).cause()
                .isInstanceOf(dev.intake.store.SchemaKeeper.MigrationFailedException.class)
                .hasMessageContaining("Schema migration V006__backfill_experiment_sessions.sql failed")
                .hasMessageContaining("No such column");
    }

    @Test
    void retentionDaysPutsATtlOnEveryDatedTable() {
        Map<String, String> env = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", freshDatabase(),
                "RETENTION_DAYS", "30");
        try (TestServer server = TestServer.start(env).awaitReady(Duration.ofSeconds(60))) {
            List<Map<String, Object>> tables = new Db(server).rows("SELECT name, create_table_query FROM system.tables"
                    + " WHERE database = currentDatabase() AND name IN ('spans', 'evaluator_results', 'experiment_sessions',"
                    + " 'session_generations')");

            assertThat(tables).hasSize(4).allSatisfy(t -> assertThat((String) t.get("create_table_query"))
                    .contains("TTL").contains("toIntervalDay(30)"));
        }
    }
}
