package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aFragmentReplacesItsMarkerOnly() {
        Sql sql = Sql.parse("t", "SELECT 1 /*ORDER BY*/ LIMIT :n").withFragment("/*ORDER BY*/", "ORDER BY x");

        assertThat(sql.jdbcSql()).isEqualTo("SELECT 1 ORDER BY x LIMIT ?");
        assertThat(sql.parameterNames()).containsExactly("n");
    }

    @Test
    void anIncludedFragmentBecomesPartOfTheStatementWithItsPlaceholders() {
        Sql sql = Sql.load(dev.intake.sessions.SessionIndex.class, "count.sql");

        assertThat(sql.jdbcSql()).doesNotContain("/*include").contains("status = ?").contains("test_case_id = ?");
        assertThat(sql.parameterNames()).containsExactly("workspace", "experiment_name", "status", "status",
                "test_case_id", "test_case_id");
    }
}
