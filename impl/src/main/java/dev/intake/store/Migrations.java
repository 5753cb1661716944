package dev.intake.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration runner: creates the database, applies the pending files of the {@code migrations} folder in
 * version order (each recorded with its checksum in {@code schema_migrations}, so re-running is a no-op), then the
 * retention setting. The files are found on the class path, in the classes folder or in the (shaded) jar alike; a
 * file is never edited once released, and one whose checksum differs from the recorded one is reported.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** Where the files are, below this class's package. */
    static final String FOLDER = "migrations";
    /** {@code V<version>__<what>.sql}: the version orders them and is what is recorded. */
    private static final Pattern FILE = Pattern.compile("V(\\d+)__[A-Za-z0-9_]+\\.sql");

    private static final Sql APPLIED = Sql.load(Migrations.class, "applied-migrations.sql");
    private static final Sql RECORD = Sql.load(Migrations.class, "record-migration.sql");
    private static final Sql TABLES_WITH_TTL = Sql.load(Migrations.class, "tables-with-ttl.sql");

    /** Tables whose rows expire with RETENTION_DAYS, with the time column that dates them. */
    private static final Map<String, String> RETAINED = Map.of(
            "spans", "start_time", "evaluator_results", "created_at", "experiment_sessions", "started_at",
            "session_generations", "generation");

    /** One migration file. */
    record Migration(int version, String file) {
        Sql sql() {
            return Sql.load(Migrations.class, FOLDER + "/" + file);
        }
    }

    private final Store bootstrap;
    private final Store store;
    private final String database;
    private final Topology topology;
    private final Optional<Integer> retentionDays;

    /**
     * @param bootstrap a store on the server's default database (to create ours)
     * @param store     a store on our database
     */
    Migrations(Store bootstrap, Store store, String database, Topology topology, Optional<Integer> retentionDays) {
        this.bootstrap = bootstrap;
        this.store = store;
        this.database = database;
        this.topology = topology;
        this.retentionDays = retentionDays;
    }

    /** The migrations of the folder on the class path, in version order. */
    static List<Migration> list() {
        return ordered(filesIn(location()));
    }

    /**
     * Orders file names by their version; a name that is not {@code V<version>__<what>.sql}, or two files with one
     * version, fail: the schema must not depend on which of them is read first.
     */
    static List<Migration> ordered(List<String> files) {
        Map<Integer, Migration> byVersion = new TreeMap<>();
        for (String file : files) {
            Matcher m = FILE.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException("Not a migration file name (V<version>__<what>.sql): " + file);
            }
            Migration migration = new Migration(Integer.parseInt(m.group(1)), file);
            Migration other = byVersion.put(migration.version(), migration);
            if (other != null) {
                throw new IllegalStateException("Two migrations with version " + migration.version() + ": "
                        + other.file() + ", " + file);
            }
        }
        if (byVersion.isEmpty()) {
            throw new IllegalStateException("No migration found in " + FOLDER);
        }
        return List.copyOf(byVersion.values());
    }

    /** Where this class was loaded from: the classes folder, or a jar. */
    private static Path location() {
        CodeSource source = Migrations.class.getProtectionDomain().getCodeSource();
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("Cannot tell where the migrations are: " + source, e);
        }
    }

    /** The file names in the migrations folder below the classes folder or jar at {@code location}. */
    static List<String> filesIn(Path location) {
        String folder = Migrations.class.getPackageName().replace('.', '/') + "/" + FOLDER + "/";
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve(folder))) {
                    return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                            .sorted().toList();
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith(folder) && n.endsWith(".sql") && n.indexOf('/', folder.length()) < 0)
                        .map(n -> n.substring(folder.length())).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the migrations in " + location, e);
        }
    }

    void createDatabase() {
        run(bootstrap, Sql.parse("create-database", "CREATE DATABASE IF NOT EXISTS `" + database + "`"), Params.of());
    }

    /**
     * Applies the migrations not recorded yet, in order, then the retention setting.
     *
     * @throws StoreRejectedException ClickHouse refused a statement (of a migration: see {@link #failedFile})
     */
    void apply() {
        List<Migration> migrations = list();
        run(store, migrations.get(0).sql(), Params.of()); // creates schema_migrations, where the others are recorded
        Map<Integer, String> applied = new HashMap<>();
        store.queryUnchecked(APPLIED, Params.of(),
                rs -> applied.put(rs.getInt("version"), rs.getString("checksum")));
        Set<Integer> known = new HashSet<>();
        for (Migration migration : migrations) {
            known.add(migration.version());
            Sql sql = migration.sql();
            String checksum = sha256(sql.jdbcSql());
            String recorded = applied.get(migration.version());
            if (recorded != null) {
                if (!recorded.equals(checksum)) {
                    LOG.warn("Migration {} changed after it was applied (checksum {} != {}); not re-applied",
                            migration.file(), checksum, recorded);
                }
                continue;
            }
            LOG.info("Applying migration {}", migration.file());
            try {
                run(store, sql, Params.of());
            } catch (StoreRejectedException e) {
                throw new RejectedMigration(migration.file(), e);
            }
            store.executeUnchecked(RECORD, Params.of("version", migration.version()).with("name", migration.file())
                    .with("checksum", checksum));
        }
        applied.keySet().stream().filter(v -> !known.contains(v)).sorted().forEach(v ->
                LOG.warn("Migration version {} is recorded but not in this build (applied by a newer one?)", v));
        applyRetention();
    }

    /** ClickHouse refused a statement of one migration file. */
    static final class RejectedMigration extends RuntimeException {
        private final String file;

        RejectedMigration(String file, StoreRejectedException cause) {
            super(cause.getMessage(), cause);
            this.file = file;
        }

        String file() {
            return file;
        }
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
     * translation of the same files).
     */
    static List<String> statements(Topology topology) {
        List<String> out = new ArrayList<>();
        for (Migration migration : list()) {
            Sql sql = migration.sql();
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
}
