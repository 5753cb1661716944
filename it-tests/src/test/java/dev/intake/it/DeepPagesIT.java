package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pages in the second half of a list are read from its end (in reverse order, offset from the exact total); every
 * page, read either way, holds exactly the rows of that page of the whole list, in list order, with or without
 * the pre-counted filters, including a partial last page and pages past the end; also when the list's tail holds
 * versions that the engine has not merged away yet (a page read from the end first guesses where the tail starts).
 */
@ExtendWith(ContractChecked.class)
class DeepPagesIT {
    static final String WS = Experiments.uniqueWorkspace();
    static final String LIST = "/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions";
    static final Instant T = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl())).awaitReady(Duration.ofSeconds(60));
        Experiments.create(server.http(), WS, "exp");
        for (int i = 0; i < 11; i++) {
            // two sessions share each start time, so the tie-breaks (root span, session) decide the order too
            Instant at = T.plusSeconds(i / 2);
            Experiments.ingest(server.http(), WS, Trajectories.aTrajectory("s-" + i, "exp", "case-" + (i % 2))
                    .userStep("q" + i, at).toolStep(at.plusMillis(10), "c", "f", "r", i % 3 == 0));
        }
    }

    @AfterAll
    static void stop() {
        TestServer.closeAll(server);
    }

    @Test
    void aTailFullOfStaleVersionsStillGivesTheExactLastPages() {
        String list = "/apis/intake/v2/workspaces/" + WS + "/experiments/moved/sessions";
        Experiments.create(server.http(), WS, "moved");
        List<Trajectories> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(Trajectories.aTrajectory("m-" + i, "moved", "case-0").userStep("q" + i, T.plusSeconds(i)));
        }
        Experiments.ingestAll(server.http(), WS, batch);
        Db db = new Db(server);
        // unmerged, each moved session's old row stays in the tail beside its tombstone until a read's FINAL
        db.execute("SYSTEM STOP MERGES experiment_sessions");
        try {
            List<Trajectories> moved = new ArrayList<>();
            for (int i = 15; i < 40; i++) { // the last 25 sessions start before all the others now
                moved.add(Trajectories.aTrajectory("m-" + i, "moved", "case-0")
                        .userStep("q" + i, T.minusSeconds(100 - i)));
            }
            Experiments.ingestAll(server.http(), WS, moved);
            JsonNode whole = server.http().get(list + "?page_size=100").json();
            List<String> all = ids(whole);
            assertThat(all).hasSize(40).startsWith("m-15", "m-16").endsWith("m-13", "m-14");
            for (int pass = 0; pass < 2; pass++) {
                for (int page = 1; page <= 21; page++) {
                    JsonNode p = server.http().get(list + "?page_size=2&page=" + page).json();
                    int from = Math.min(all.size(), (page - 1) * 2);
                    assertThat(ids(p)).as("page " + page + " pass " + pass)
                            .isEqualTo(all.subList(from, Math.min(all.size(), from + 2)));
                    assertThat(p.at("/pagination/total_results").asLong()).isEqualTo(40);
                }
            }
        } finally {
            db.execute("SYSTEM START MERGES experiment_sessions");
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(r -> out.add(r.get("session_id").asText()));
        return out;
    }

    @Test
    void everyPageIsThatPageOfTheWholeListReadFromEitherEnd() {
        for (String filter : List.of("", "&status=error", "&test_case_id=case-1", "&status=success&test_case_id=case-0")) {
            JsonNode whole = server.http().get(LIST + "?page_size=100" + filter).json();
            List<String> all = ids(whole);
            long total = whole.at("/pagination/total_results").asLong();
            assertThat(all).as(filter).hasSize((int) total).isNotEmpty();
            for (int pass = 0; pass < 2; pass++) { // the second pass knows the total: its deep pages come from the end
                for (int page = 1; page <= 7; page++) {
                    JsonNode p = server.http().get(LIST + "?page_size=2&page=" + page + filter).json();
                    int from = Math.min(all.size(), (page - 1) * 2);
                    assertThat(ids(p)).as(filter + " page " + page + " pass " + pass)
                            .isEqualTo(all.subList(from, Math.min(all.size(), from + 2)));
                    assertThat(p.at("/pagination/total_results").asLong()).isEqualTo(total);
                }
            }
        }
    }
}
