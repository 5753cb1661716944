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

    @Test
    void theBooleanEvaluatorBackfillGivesIndexRowsWrittenBeforeTheColumnTheirPassRate() throws Exception {
        Map<String, String> env = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", freshDatabase());
        try (TestServer server = TestServer.start(env).awaitReady(Duration.ofSeconds(60))) {
            Http http = server.http();
            Experiments.create(http, "ws", "exp");
            java.time.Instant t = java.time.Instant.now().minusSeconds(60);
            Experiments.ingest(http, "ws", Trajectories.aTrajectory("s-1", "exp", "a").userStep("q", t).reward("ok", true));
            Experiments.ingest(http, "ws", Trajectories.aTrajectory("s-2", "exp", "a").userStep("q", t).reward("ok", false));
            Db db = new Db(server);
            // what an index written before the column holds: the same rows, boolean_evaluators empty
            db.execute("INSERT INTO experiment_sessions SELECT * REPLACE ([] AS boolean_evaluators,"
                    + " now64(6, 'UTC') AS version) FROM experiment_sessions FINAL WHERE is_deleted = 0");
            String stats = "/apis/intake/v2/workspaces/ws/experiments/exp/stats";
            assertThat(http.get(stats).json().at("/evaluators/ok/pass_rate").isNull()).isTrue();

            try (java.io.InputStream in = MigrationsIT.class.getClassLoader()
                    .getResourceAsStream("dev/intake/store/migrations/V011__backfill_boolean_evaluators.sql")) {
                db.execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }

            assertThat(http.get(stats).json().at("/evaluators/ok/pass_rate").asDouble()).isEqualTo(0.5);
            assertThat(http.get(stats).json().get("sessions").asLong()).as("no row duplicated").isEqualTo(2);
        }
    }
    @Test
    void theCountersBackfillCountsSessionsIndexedBeforeTheCountersOnce() throws Exception {
        Map<String, String> env = Map.of("CLICKHOUSE_URL", Engine.jdbcUrl(), "CLICKHOUSE_DATABASE", freshDatabase());
        try (TestServer server = TestServer.start(env).awaitReady(Duration.ofSeconds(60))) {
            Http http = server.http();
            Experiments.create(http, "ws", "exp");
            java.time.Instant t = java.time.Instant.now().minusSeconds(60);
            for (int i = 0; i < 3; i++) {
                Experiments.ingest(http, "ws", Trajectories.aTrajectory("s-" + i, "exp", "case-" + (i % 2))
                        .userStep("q", t.plusSeconds(i)).toolStep(t.plusSeconds(i), "c", "f", "r", i == 0));
            }
            Db db = new Db(server);
            // an index written before the counters existed
            db.execute("TRUNCATE TABLE experiment_counters");
            String backfill;
            try (java.io.InputStream in = MigrationsIT.class.getClassLoader()
                    .getResourceAsStream("dev/intake/store/migrations/V016__backfill_experiment_counters.sql")) {
                backfill = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            db.execute(backfill);
            db.execute(backfill); // a second instance migrating at the same time
            assertThat(db.rows("SELECT status, test_case_id, sum(sessions) AS n FROM experiment_counters"
                    + " WHERE workspace = 'ws' AND experiment_name = 'exp' AND sessions != 0"
                    + " GROUP BY status, test_case_id ORDER BY status, test_case_id"))
                    .isEqualTo(db.rows("SELECT status, test_case_id, toInt64(count()) AS n FROM experiment_sessions FINAL"
                            + " WHERE workspace = 'ws' AND experiment_name = 'exp' AND is_deleted = 0"
                            + " GROUP BY status, test_case_id ORDER BY status, test_case_id"));
            String sessions = "/apis/intake/v2/workspaces/ws/experiments/exp/sessions";
            assertThat(http.get(sessions).json().at("/pagination/total_results").asLong()).isEqualTo(3);
            assertThat(http.get(sessions + "?status=error").json().at("/pagination/total_results").asLong())
                    .isEqualTo(1);
        }
    }
}
