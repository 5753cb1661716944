package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ETags and conditional GETs on every operation that reads the store, across two instances on one store: an ETag
 * from one instance is answered 304 by the other while nothing was written, and every write that can change an
 * answer (an ingest into the experiment, an update or delete of it, a new experiment) makes it a 200 again.
 */
@ExtendWith(ContractChecked.class)
class ConditionalGetsIT {
    static final String WS = Experiments.uniqueWorkspace();
    static final String BASE = "/apis/intake/v2/workspaces/" + WS;
    static final Instant T = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    /** Every GET that reads the store, about experiment "exp" (and its baseline "base"). */
    static final List<String> READS = List.of(
            BASE + "/experiments",
            BASE + "/experiments?page_size=5",
            BASE + "/experiments/exp",
            BASE + "/experiments/exp/sessions",
            BASE + "/experiments/exp/sessions?status=success&page_size=1",
            BASE + "/experiments/exp/sessions/export?format=ndjson",
            BASE + "/experiments/exp/stats",
            BASE + "/experiments/exp/test-cases",
            BASE + "/experiments/exp/compare?baseline=base&evaluator=reward");
    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start() {
        first = TestServer.start(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl())).awaitReady(Duration.ofSeconds(60));
        second = first.sameStore(Map.of("CLICKHOUSE_URL", Engine.jdbcUrl()));
        Experiments.create(first.http(), WS, "exp");
        Experiments.create(first.http(), WS, "base");
        for (String experiment : List.of("exp", "base")) {
            for (int i = 0; i < 3; i++) {
                Experiments.ingest(first.http(), WS, Trajectories.upstreamShape(experiment + "-s" + i, experiment,
                        "case-" + i, T.plusSeconds(i), 0.5));
            }
        }
    }

    @AfterAll
    static void stop() {
        TestServer.closeAll(first, second);
    }

    private static String etag(TestServer server, String path) {
        Http.Response r = server.http().get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path + ": no ETag"));
    }

    private static Http.Response conditional(TestServer server, String path, String etag) {
        return server.http().withHeader("If-None-Match", etag).get(path);
    }

    @Test
    void anUnchangedAnswerIsNotModifiedOnEveryInstance() {
        for (String path : READS) {
            String tag = etag(first, path);
            assertThat(tag).as(path).startsWith("W/\"");
            Http.Response again = conditional(second, path, tag);
            assertThat(again.status()).as(path).isEqualTo(304);
            assertThat(again.body()).as(path).isEmpty();
            assertThat(again.headers().firstValue("ETag")).as(path).contains(tag);
            // several tags, strong form of ours among them: still a match (weak comparison)
            assertThat(conditional(first, path, "\"other\", " + tag.substring(2)).status()).as(path).isEqualTo(304);
            assertThat(conditional(first, path, "W/\"0-other\"").status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void anotherRequestHasAnotherTag() {
        assertThat(etag(first, BASE + "/experiments/exp/sessions?page_size=2"))
                .isNotEqualTo(etag(first, BASE + "/experiments/exp/sessions?page_size=3"));
    }

    @Test
    void everyWriteThatCanChangeAnAnswerChangesItsTag() {
        String sessions = BASE + "/experiments/exp/sessions";
        String stats = BASE + "/experiments/exp/stats";
        String compare = BASE + "/experiments/exp/compare?baseline=base&evaluator=reward";
        String list = BASE + "/experiments";
        Map<String, String> tags = new HashMap<>();
        for (String path : List.of(sessions, stats, compare, list)) {
            tags.put(path, etag(first, path));
        }
        // a re-ingest that changes a session of exp, through the other instance
        Experiments.ingest(second.http(), WS, Trajectories.upstreamShape("exp-s0", "exp", "case-0", T, 0.9));
        for (String path : List.of(sessions, stats, compare)) {
            Http.Response r = conditional(first, path, tags.get(path));
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("ETag").orElseThrow()).as(path).isNotEqualTo(tags.get(path));
        }
        // the workspace's list did not change
        assertThat(conditional(first, list, tags.get(list)).status()).isEqualTo(304);

        // a change of the baseline changes the comparison
        String compared = etag(first, compare);
        Experiments.ingest(first.http(), WS, Trajectories.upstreamShape("base-s9", "base", "case-0", T, 0.1));
        assertThat(conditional(second, compare, compared).status()).isEqualTo(200);

        // an update of the experiment changes it and the list
        String one = etag(first, BASE + "/experiments/exp");
        Map<String, Object> update = Experiments.request("exp");
        update.put("description", "changed");
        assertThat(second.http().put(BASE + "/experiments/exp", update).status()).isEqualTo(200);
        assertThat(conditional(first, BASE + "/experiments/exp", one).status()).isEqualTo(200);
        assertThat(conditional(first, list, tags.get(list)).status()).isEqualTo(200);

        // a new experiment changes the list; deleting one ends its answers (404, not a 304)
        String listed = etag(first, list);
        Experiments.create(second.http(), WS, "gone");
        assertThat(conditional(first, list, listed).status()).isEqualTo(200);
        String gone = etag(first, BASE + "/experiments/gone");
        assertThat(second.http().delete(BASE + "/experiments/gone").status()).isEqualTo(204);
        assertThat(conditional(first, BASE + "/experiments/gone", gone).status()).isEqualTo(404);
    }

    @Test
    void aRepeatedReadIsAnsweredFromMemoryOnlyWhileNoInstanceHasWrittenSince() {
        Experiments.create(first.http(), WS, "kept");
        Experiments.ingest(first.http(), WS, Trajectories.upstreamShape("kept-s1", "kept", "case-1", T, 0.5));
        String sessions = BASE + "/experiments/kept/sessions?page_size=10";
        Http.Response read = first.http().get(sessions);
        assertThat(read.status()).isEqualTo(200);

        Scrape before = Scrape.of(first.http());
        Http.Response again = first.http().get(sessions);
        Scrape after = Scrape.of(first.http());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(read.body());
        assertThat(again.headers().firstValue("ETag")).isEqualTo(read.headers().firstValue("ETag"));
        assertThat(again.headers().firstValue("Content-Type")).isEqualTo(read.headers().firstValue("Content-Type"));
        String statements = "intake_store_statements_seconds_count";
        assertThat(after.since(before, statements, "statement=\"sessions/page.sql\"")).isZero();
        assertThat(after.since(before, statements, "statement=\"sessions/versions.sql\"")).isEqualTo(1);
        String answers = "intake_answers_total";
        String list = "operation_id=\"listExperimentSessions\"";
        assertThat(after.since(before, answers, list, "result=\"served\"")).isEqualTo(1);

        // asked not to: read from the store
        Scrape beforeNoCache = Scrape.of(first.http());
        assertThat(first.http().withHeader("Cache-Control", "no-cache").get(sessions).body()).isEqualTo(read.body());
        assertThat(Scrape.of(first.http()).since(beforeNoCache, statements, "statement=\"sessions/page.sql\""))
                .isEqualTo(1);

        // a write through the other instance: the next read on this one has it
        Experiments.ingest(second.http(), WS, Trajectories.upstreamShape("kept-s2", "kept", "case-2", T, 0.7));
        Scrape beforeChanged = Scrape.of(first.http());
        Http.Response changed = first.http().get(sessions);
        assertThat(Scrape.of(first.http()).since(beforeChanged, answers, list, "result=\"stale\"")).isEqualTo(1);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).contains("kept-s2");
        assertThat(changed.headers().firstValue("ETag")).isNotEqualTo(read.headers().firstValue("ETag"));

        // the same for every other read that is kept: stats, test cases, the experiment and the list
        Map<String, String> bodies = new HashMap<>();
        for (String path : List.of(BASE + "/experiments/kept/stats", BASE + "/experiments/kept/test-cases",
                BASE + "/experiments/kept", BASE + "/experiments?page_size=100")) {
            bodies.put(path, first.http().get(path).body());
            assertThat(first.http().get(path).body()).as(path).isEqualTo(bodies.get(path));
        }
        Map<String, Object> update = Experiments.request("kept");
        update.put("description", "changed through the other instance");
        assertThat(second.http().put(BASE + "/experiments/kept", update).status()).isEqualTo(200);
        assertThat(first.http().get(BASE + "/experiments/kept").body()).contains("changed through the other instance");
        assertThat(first.http().get(BASE + "/experiments?page_size=100").body())
                .contains("changed through the other instance");
        Experiments.ingest(second.http(), WS, Trajectories.upstreamShape("kept-s3", "kept", "case-3", T, 0.9));
        assertThat(first.http().get(BASE + "/experiments/kept/test-cases").body()).contains("case-3");
        assertThat(first.http().get(BASE + "/experiments/kept/stats").body())
                .isNotEqualTo(bodies.get(BASE + "/experiments/kept/stats"));
    }
}
