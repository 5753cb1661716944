package dev.intake.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.store.Params;
import dev.intake.web.ApiProblemException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of sort and score parameters, the cursor's integrity, and the keyset predicate's shape. */
class SessionQueryPartsTest {
    private static SessionQuery query(String sort, List<String> score) {
        return SessionQuery.of("ws", "exp", SessionFilter.of(null, null, null, null, null, null, null, null, null,
                null, score, null), SessionSort.parse(sort));
    }

    private static String field(ApiProblemException e) {
        return e.errors().get(0).field();
    }

    @Test
    void sortKeysAreWhitelistedAndTheTieBreaksAppended() {
        SessionSort sort = SessionSort.parse("-cost_total_usd,evaluator_scores.quality");

        assertThat(sort.echo()).isEqualTo("-cost_total_usd,evaluator_scores.quality,started_at,root_span_id");
        assertThat(sort.orderBy()).isEqualTo("cost_micro_usd DESC NULLS LAST, "
                + "if(mapContains(evaluator_scores, :sort_evaluator_1), evaluator_scores[:sort_evaluator_1], NULL)"
                + " ASC NULLS LAST, started_at ASC NULLS LAST, root_span_id ASC NULLS LAST, session_id ASC NULLS LAST");
        assertThat(SessionSort.parse(null).echo()).isEqualTo("started_at,root_span_id");
        assertThat(SessionSort.parse("-started_at").echo()).isEqualTo("-started_at,root_span_id");
    }

    @Test
    void theOrderAPageStatesParsesBackToTheSameOrder() {
        for (String sort : List.of("started_at", "-started_at", "-latency_ms,evaluator_scores.a b ", "root_span_id",
                "status,-cost_total_usd,latency_ms", "status,started_at,latency_ms", "-started_at,status,latency_ms")) {
            SessionSort stated = SessionSort.parse(SessionSort.parse(sort).echo());

            assertThat(stated.echo()).as(sort).isEqualTo(SessionSort.parse(sort).echo());
            assertThat(stated.orderBy()).as(sort).isEqualTo(SessionSort.parse(sort).orderBy());
        }
        assertThat(SessionSort.parse(" -evaluator_scores. a b ,  status").echo())
                .isEqualTo("-evaluator_scores. a b,status,started_at,root_span_id");
    }

    @Test
    void unknownRepeatedOrTooManySortKeysAreRefused() {
        for (String bad : List.of("cost", "started_at,started_at", "a,b,c,d", "session_id", "evaluator_scores.", "evaluator_scores.  ", "\tstarted_at", "- latency_ms",
                "status,latency_ms,ended_at,-started_at", "status,latency_ms,ended_at,root_span_id,started_at",
                "quality; DROP TABLE spans", "")) {
            assertThatThrownBy(() -> SessionSort.parse(bad)).as(bad).isInstanceOfSatisfying(ApiProblemException.class,
                    e -> assertThat(field(e)).isEqualTo("sort"));
        }
    }

    @Test
    void scoreConditionsAreParsedOrRefused() {
        SessionFilter f = query(null, List.of("quality>=0.8", "safety=1", "a b<-2.5e-1")).filter();

        assertThat(f.scores()).extracting(SessionFilter.ScoreCondition::evaluator, SessionFilter.ScoreCondition::op,
                SessionFilter.ScoreCondition::bound).containsExactly(
                org.assertj.core.groups.Tuple.tuple("quality", ">=", 0.8),
                org.assertj.core.groups.Tuple.tuple("safety", "=", 1.0),
                org.assertj.core.groups.Tuple.tuple("a b", "<", -0.25));
        for (String bad : List.of("quality", "quality>=", ">=1", "quality>=high", "quality=>1", "q>=NaN", "q>=1e999")) {
            assertThatThrownBy(() -> query(null, List.of(bad))).as(bad)
                    .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(field(e)).isEqualTo("score"));
        }
    }

    @Test
    void boundsInTheWrongOrderAreRefusedNamingTheMinimum() {
        assertThatThrownBy(() -> SessionFilter.of(null, null, 5.0, 4.0, 0.2, 0.1, 3L, 2L,
                Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), List.of(), null))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(e.errors())
                        .extracting(ApiProblemException.FieldError::field)
                        .containsExactly("min_latency_ms", "min_cost_total_usd", "min_total_tokens", "started_after"));
    }

    @Test
    void aCursorRoundTripsAndIsRefusedWhenAlteredOrUsedForAnotherQuery() {
        SessionCursor.Codec codec = SessionCursor.Codec.random();
        SessionQuery q = query("-cost_total_usd,test_case_id", List.of("quality>=0.5"));
        SessionRow last = new SessionRow("s-1", "", "t", "r-1", Instant.parse("2026-01-02T03:04:05.123456Z"), null,
                null, "success", "", "", 1L, null, null, 1500L, Map.of());
        String cursor = codec.encode(SessionCursor.after(last, q.sort(), Instant.parse("2026-02-01T00:00:00Z"), 10), q);

        SessionCursor back = codec.decode(cursor, query("-cost_total_usd,test_case_id", List.of("quality>=0.5")));

        assertThat(back.values()).containsExactly(1500L, null, Instant.parse("2026-01-02T03:04:05.123456Z"), "r-1", "s-1");
        assertThat(back.returned()).isEqualTo(10);
        assertThat(back.snapshot()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        char[] chars = cursor.toCharArray();
        chars[5] = chars[5] == 'A' ? 'B' : 'A';
        for (String bad : List.of(new String(chars), "x", "", cursor + "x", cursor.substring(0, cursor.indexOf('.')))) {
            assertThatThrownBy(() -> codec.decode(bad, q)).as(bad).isInstanceOf(ApiProblemException.class);
        }
        assertThatThrownBy(() -> codec.decode(cursor, query("cost_total_usd,test_case_id", List.of("quality>=0.5"))))
                .isInstanceOf(ApiProblemException.class);
        assertThatThrownBy(() -> codec.decode(cursor, query("-cost_total_usd,test_case_id", List.of())))
                .isInstanceOf(ApiProblemException.class);
        assertThatThrownBy(() -> SessionCursor.Codec.random().decode(cursor, q)).isInstanceOf(ApiProblemException.class);
    }

    @Test
    void theKeysetPredicateTreatsNullsAsLastAndBindsEveryValue() {
        SessionSort sort = SessionSort.parse("-latency_ms,test_case_id");
        SessionCursor c = new SessionCursor(Instant.EPOCH, 0, Arrays.asList(12.0, null,
                Instant.parse("2026-01-01T00:00:00Z"), "r", "s"));
        Params p = Params.of();

        String sql = c.predicate(sort, p);

        assertThat(sql).isEqualTo("(((isNull(latency_ms) OR latency_ms < :cursor_0))\n"
                + "   OR (latency_ms = :cursor_0 AND isNull(nullIf(test_case_id, '')) AND started_at > :cursor_2)\n"
                + "   OR (latency_ms = :cursor_0 AND isNull(nullIf(test_case_id, '')) AND started_at = :cursor_2"
                + " AND root_span_id > :cursor_3)\n"
                + "   OR (latency_ms = :cursor_0 AND isNull(nullIf(test_case_id, '')) AND started_at = :cursor_2"
                + " AND root_span_id = :cursor_3 AND session_id > :cursor_4))");
    }
}
