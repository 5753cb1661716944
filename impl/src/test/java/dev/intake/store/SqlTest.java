package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.sessions.SessionsFeature;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void namedPlaceholdersBecomeDriverMarkersInOrder() {
        Sql sql = Sql.parse("t", "SELECT * FROM t WHERE a = :a AND b IN (:list) AND c = :a");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b IN (?) AND c = ?");
        assertThat(sql.parameterNames()).containsExactly("a", "list", "a");
    }

    @Test
    void quotedTextCommentsAndCastsAreNotPlaceholders() {
        Sql sql = Sql.parse("t", "-- uses :nothing here\nSELECT ':x', `:y`, \"z:w\", 'it\\'s :q', a::String FROM t WHERE b = :b");

        assertThat(sql.parameterNames()).containsExactly("b");
        assertThat(sql.jdbcSql()).contains("':x'", "`:y`", "'it\\'s :q'", "a::String").endsWith("b = ?");
    }

    @Test
    void whatIsSentHasNoCommentLinesButTheTextAsWrittenKeepsThem() {
        Sql sql = Sql.parse("t", "-- why\nSELECT a, -- kept: on a line of code\n\n    -- why b\n  b FROM t WHERE c = '--x'");

        assertThat(sql.wireSql()).isEqualTo("SELECT a, -- kept: on a line of code\n  b FROM t WHERE c = '--x'");
        assertThat(sql.jdbcSql()).startsWith("-- why\nSELECT a,").contains("    -- why b\n");
    }

    @Test
    void aFragmentReplacesItsMarkerOnly() {
        Sql sql = Sql.parse("t", "SELECT 1 /*ORDER BY*/ LIMIT :n").withFragment("/*ORDER BY*/", "ORDER BY x");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT 1 ORDER BY x LIMIT ?");
        assertThat(sql.parameterNames()).containsExactly("n");
    }

    @Test
    void namedFragmentsAreSplitAtTheirNameLinesWithoutComments() {
        Map<String, String> f = Sql.fragments(SessionsFeature.class, "key-range.sql");

        assertThat(f).containsOnlyKeys("experiment", "started_after", "started_before");
        assertThat(f.get("started_after")).isEqualTo("started_at >= :started_after");
    }

    @Test
    void composingFillsMarkersBeforePlaceholdersAndRefusesOneLeftOver() {
        Sql sql = Sql.compose(SessionsFeature.class, "count.sql", Map.of("/*SESSION_KEY_RANGE*/", "workspace = :workspace",
                "/*SESSION_FILTER*/", "status = :status"));

        assertThat(sql.parameterNames()).containsExactly("workspace", "status");
        assertThatThrownBy(() -> Sql.compose(SessionsFeature.class, "count.sql", Map.of("/*SESSION_FILTER*/", "1")))
                .isInstanceOf(IllegalStateException.class);
    }
}
