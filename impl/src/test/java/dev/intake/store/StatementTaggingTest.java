package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every statement is tagged by the store, in one place; no SQL file tags itself. */
class StatementTaggingTest {
    @Test
    void theTextSentStartsWithTheStatementsName() {
        Sql sql = Sql.load(Store.class, "ping.sql");

        assertThat(Store.textSent(sql)).startsWith("-- store/ping.sql\n").endsWith(sql.wireSql());
    }

    @Test
    void noSqlFileSetsItsOwnLogComment() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/dev/intake"))) {
            List<Path> sql = files.filter(f -> f.toString().endsWith(".sql")).toList();
            assertThat(sql).hasSizeGreaterThan(20);
            for (Path f : sql) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("log_comment");
            }
        }
    }
}
