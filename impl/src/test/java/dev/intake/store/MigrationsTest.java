package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    @Test
    void theFolderIsReadInVersionOrderWithoutGaps() {
        List<Migrations.Migration> all = Migrations.list();

        assertThat(all.get(0).file()).isEqualTo("V001__schema_migrations.sql");
        assertThat(all).extracting(Migrations.Migration::version)
                .isEqualTo(IntStream.rangeClosed(1, all.size()).boxed().toList());
        assertThat(all).allSatisfy(m -> assertThat(m.sql().jdbcSql()).isNotBlank());
    }

    @Test
    void aJarIsListedLikeAFolder(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("service.jar");
        String folder = "dev/intake/store/migrations/";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("dev/", "dev/intake/store/ping.sql", folder + "V002__b.sql",
                    folder + "V001__a.sql", folder + "old/V003__c.sql", folder + "README.txt")) {
                out.putNextEntry(new JarEntry(name));
                write(out, name);
            }
        }

        assertThat(Migrations.filesIn(jar)).containsExactly("V001__a.sql", "V002__b.sql");
    }

    @Test
    void versionsAreOrderedAsNumbersAndMayNotRepeat() {
        assertThat(Migrations.ordered(List.of("V010__c.sql", "V002__b.sql", "V1__a.sql")))
                .extracting(Migrations.Migration::version).containsExactly(1, 2, 10);
        assertThatThrownBy(() -> Migrations.ordered(List.of("V001__a.sql", "V1__b.sql")))
                .hasMessageContaining("Two migrations with version 1");
        assertThatThrownBy(() -> Migrations.ordered(List.of("V001-a.sql"))).hasMessageContaining("V001-a.sql");
        assertThatThrownBy(() -> Migrations.ordered(List.of())).hasMessageContaining("No migration");
    }

    private static void write(OutputStream out, String name) throws IOException {
        if (!name.endsWith("/")) {
            out.write("SELECT 1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
