package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values travel as literals in the statement's text, which ClickHouse refuses past max_query_size: the bound the
 * store computes must cover the text as the driver writes it, and stay under the default for ordinary statements.
 */
class StatementSizeTest {
    final Sql sql = Sql.parse("test/size.sql", "SELECT :text, :ids, :scores, :n");

    @Test
    void ordinaryValuesStayUnderTheDefaultLimit() {
        Params p = Params.of("text", "hello").with("ids", List.of("a", "b")).with("scores", Map.of("q", 0.5))
                .with("n", 7);

        assertThat(Store.textBytesBound(sql, p)).isLessThan(Store.DEFAULT_MAX_QUERY_SIZE);
    }

    @Test
    void theBoundCoversEveryCharacterEscapedInUtf8() {
        // the worst case: every character a quote (escaped to two) or a three-byte UTF-8 character
        String quotes = "'".repeat(100_000);
        String wide = "\u20ac".repeat(100_000);
        Params p = Params.of("text", quotes).with("ids", List.of(wide)).with("scores", Map.of(wide, 1.0))
                .with("n", Long.MAX_VALUE);

        long written = 2L * quotes.length() + 3L * wide.length() * 2 + Store.textSent(sql).length();
        assertThat(Store.textBytesBound(sql, p)).isGreaterThan(written).isGreaterThan(Store.DEFAULT_MAX_QUERY_SIZE);
    }
}
