package dev.intake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StableIdsTest {
    @Test
    void theSamePartsAlwaysGiveTheSameId() {
        assertThat(StableIds.span("ws", "s-1", "step", 3)).isEqualTo(StableIds.span("ws", "s-1", "step", 3))
                .startsWith("span-").hasSize(5 + 32);
        assertThat(StableIds.evaluatorResult("span-x", "quality")).startsWith("eval-");
    }

    @Test
    void partsAreLengthPrefixedSoBoundariesMatter() {
        assertThat(StableIds.span("ab", "c")).isNotEqualTo(StableIds.span("a", "bc"));
        assertThat(StableIds.span("ws", "s-1", "step", 3)).isNotEqualTo(StableIds.span("ws", "s-1", "step", 4));
    }
}
