package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.intake.analysis.AnalysisFeature;
import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.sessions.SessionsFeature;
import dev.intake.web.ApiJson;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The session list's selection, composed into the statistics' statements: every placeholder of the composed
 * statement has a bound value, and no filter value is ever in the SQL text.
 */
class SelectionCompositionTest {
    final SessionsFeature sessions = new SessionsFeature(null, (w, n) -> true, ApiJson.create(),
            Duration.ofSeconds(1), Optional.empty(), true);

    @Test
    void everyFilterIsAPlaceholderWithABoundValue() {
        ExperimentSessionFilter filters = new ExperimentSessionFilter(dev.intake.api.model.SpanStatus.ERROR,
                "case-'7", 12.5, 99.5, 0.25, 4.75, 11L, 999L, OffsetDateTime.parse("2026-01-01T00:00:00+02:00"),
                OffsetDateTime.parse("2026-02-01T00:00:00Z"), List.of("quality>=0.5", "safety<0.125"), "needle'--");
        SessionsFeature.Selection s = sessions.select("ws", "exp", filters);

        for (String file : List.of("stats.sql", "stats-evaluators.sql")) {
            Sql sql = Sql.compose(AnalysisFeature.class, file, s.sqlParts());
            assertThat(sql.parameterNames()).as(file).contains("workspace", "experiment_name", "status",
                    "test_case_id", "started_after", "started_before");
            sql.parameterNames().forEach(name -> assertThatCode(() -> s.params().get(name, sql.name()))
                    .as(file + " :" + name).doesNotThrowAnyException());
            assertThat(sql.jdbcSql()).as(file).doesNotContain("case-", "needle", "quality", "safety", "0.125",
                    "99.5", "2026-");
        }
        assertThat(s.filters().getStartedAfter()).as("the filters as understood: UTC")
                .isEqualTo(OffsetDateTime.parse("2026-01-01T00:00:00+02:00").withOffsetSameInstant(java.time.ZoneOffset.UTC));
    }

    @Test
    void withoutFiltersOnlyTheExperimentIsSelected() {
        SessionsFeature.Selection s = sessions.select("ws", "exp", new ExperimentSessionFilter(null, null, null, null,
                null, null, null, null, null, null, List.of(), null));

        Sql sql = Sql.compose(AnalysisFeature.class, "stats.sql", s.sqlParts());
        assertThat(sql.parameterNames()).doesNotContain("status", "test_case_id", "min_latency_ms");
    }
}
