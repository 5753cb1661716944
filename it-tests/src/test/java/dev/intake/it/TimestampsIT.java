package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timestamps as the spec states them: every one in a response with exactly six fractional digits, latency_ms
 * truncated from the microsecond endpoints, and every RFC 3339 offset (up to ±23:59) read as the instant it names.
 */
@ExtendWith(ContractChecked.class)
class TimestampsIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = Experiments.uniqueWorkspace();
    /** A whole second, so that the written forms below are known exactly. */
    static final Instant T = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    static Http http;

    @BeforeAll
    static void seed() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        http = SERVER.http();
        Experiments.create(http, WS, "exp");
    }

    @Test
    void everyResponseTimestampHasSixFractionalDigits() {
        Experiments.ingest(http, WS, Trajectories.aTrajectory("whole", "exp", "c").userStep("q", T)
                .verifier(T, T.plusMillis(1)));
        List<String> times = new ArrayList<>();
        JsonNode experiment = http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp").json();
        times.add(experiment.get("created_at").asText());
        times.add(experiment.get("updated_at").asText());
        JsonNode row = session("whole");
        times.add(row.get("started_at").asText());
        times.add(row.get("ended_at").asText());

        assertThat(times).allMatch(t -> t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"), "six digits");
        assertThat(row.get("started_at").asText()).isEqualTo(T.toString().replace("Z", ".000000Z"));
        assertThat(row.get("ended_at").asText()).isEqualTo(T.toString().replace("Z", ".001000Z"));
    }

    @Test
    void latencyIsTruncatedFromMicroseconds() {
        // 999 µs after the start is 0 ms, although the millisecond of the end differs from the start's
        Experiments.ingest(http, WS, Trajectories.aTrajectory("short", "exp", "c").userStep("q", T.plusNanos(999_000))
                .verifier(T.plusNanos(999_000), T.plusNanos(1_998_000)));

        JsonNode row = session("short");

        assertThat(row.get("started_at").asText()).endsWith(".000999Z");
        assertThat(row.get("ended_at").asText()).endsWith(".001998Z");
        assertThat(row.get("latency_ms").asDouble()).isEqualTo(0.0);
    }

    @Test
    void anyRfc3339OffsetIsReadAsTheInstantItNames() {
        Trajectories t = Trajectories.aTrajectory("offset", "exp", "c").userStep("q", null);
        // 23 h 13 min behind UTC: T - 23:13 local is T in UTC
        String local = T.minus(23 * 60 + 13, ChronoUnit.MINUTES).toString().replace("Z", "");
        t.lastStep().put("timestamp", local.replace('T', 't') + ".5-23:13");
        Experiments.ingest(http, WS, t);

        assertThat(session("offset").get("started_at").asText()).isEqualTo(T.toString().replace("Z", ".500000Z"));
    }

    @Test
    void aStepTimeOutsideTheStoresRangeIsA422SayingTheRange() {
        for (String time : List.of("0061-09-14T02:06:12-23:23", "1899-12-31T23:59:59Z", "2300-01-01T00:00:00Z")) {
            Trajectories t = Trajectories.aTrajectory("out-of-range", "exp", "c").userStep("q", null);
            t.lastStep().put("timestamp", time);

            Http.Response r = http.post("/apis/intake/v2/workspaces/" + WS + "/ingest/atif", t.json());

            assertThat(r.status()).as(r.body()).isEqualTo(422);
            JsonNode error = r.json().get("errors").get(0);
            assertThat(error.get("field").asText()).isEqualTo("$.steps[0].timestamp");
            assertThat(error.get("message").asText()).as(time).contains("from 1900-01-01 to 2299-12-31");
        }
    }

    @Test
    void aQueryDateTimeTakesAnyOffsetAndOutsideTheStoresRangeIsA400SayingTheRange() {
        String stats = "/apis/intake/v2/workspaces/" + WS + "/experiments/exp/stats?";
        // -18:45 is beyond java.time's offsets (±18:00), within RFC 3339's
        Http.Response farOffset = http.get(stats + "started_after=2026-01-01T00:00:00-18:45");
        Http.Response tooEarly = http.get(stats + "started_before=1343-09-11T09:20:52Z");

        assertThat(farOffset.status()).as(farOffset.body()).isEqualTo(200);
        assertThat(farOffset.json().get("filter").get("started_after").asText()).isEqualTo("2026-01-01T18:45:00.000000Z");
        assertThat(tooEarly.status()).as(tooEarly.body()).isEqualTo(400);
        JsonNode error = tooEarly.json().get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("started_before");
        assertThat(error.get("message").asText()).contains("from 1900-01-01 to 2299-12-31");
    }

    private static JsonNode session(String id) {
        for (JsonNode row : http.get("/apis/intake/v2/workspaces/" + WS + "/experiments/exp/sessions?page_size=100")
                .json().get("data")) {
            if (row.get("session_id").asText().equals(id)) {
                return row;
            }
        }
        throw new AssertionError("no session " + id);
    }
}
