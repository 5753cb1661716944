package dev.intake.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.engine.EngineReplay;
import dev.intake.bench.engine.Statement;
import dev.intake.bench.load.Scenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The engine's side of the ingest targets, measured in the same run as the API figures: the {@code SELECT 1}
 * floor; the statements of one single-trajectory ingest replayed straight to the engine (where its time goes);
 * the engine's raw insert ceiling for the rows of one 100-trajectory batch, i.e. only its two INSERTs (spans and
 * evaluator results, as the API sent them) replayed at 1 and 4 clients; and every statement of that batch (the
 * inserts, the generations and the index rows) replayed the same way, as new sessions in every run: what the engine
 * allows for all a batch must write.
 */
public final class IngestTargets {
    /** Capture keys of the two ingest requests (see the capture step). */
    public static final String SINGLE = "ingest-single";
    public static final String BATCH = "ingest-batch-100";
    static final List<String> RAW_INSERTS = List.of("ingest/insert-spans.sql", "ingest/insert-results.sql");

    /** Engine figures; ms, spans/s. */
    public record Engine(double floorP50Ms, EngineReplay.Result single, EngineReplay.Result rawBatchInserts,
                         int batchSpans, double rawSpansPerSecondC1, double rawSpansPerSecondC4,
                         EngineReplay.Result batchStatements, double batchStatementsSpansPerSecondC1) {
    }

    private IngestTargets() {
    }

    /** The session id in a first ingest's publish statement (its candidates are JSON lines). */
    private static final Pattern PUBLISHED_SESSION = Pattern.compile("\\{\"session_id\":\"([^\"]+)\"");

    /**
     * The captured statements of an ingest, its sessions' ids replaced by new ones in every run: a session's first
     * ingest publishes its row only while the store holds nothing else of it, so replaying the same sessions again
     * would measure a refusal instead of the ingest the API ran. Every occurrence of an id is replaced, in one pass
     * over each statement.
     */
    static IntFunction<List<Statement>> asNewSessions(List<Statement> captured) {
        Set<String> sessions = new LinkedHashSet<>();
        for (Statement st : captured) {
            Matcher m = PUBLISHED_SESSION.matcher(st.body());
            while (m.find()) {
                sessions.add(m.group(1));
            }
        }
        if (sessions.isEmpty()) {
            return run -> captured;
        }
        // whole ids only, longest first: session-2 must not be found inside session-20
        Pattern ids = Pattern.compile("(?<![\\w-])(?:" + sessions.stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
                .collect(Collectors.joining("|")) + ")(?![\\w-])");
        String nonce = Long.toString(System.nanoTime(), 36);
        return run -> captured.stream().map(st -> new Statement(st.scenario(), st.pathAndQuery(), st.headers(),
                ids.matcher(st.body()).replaceAll(m -> Matcher.quoteReplacement(m.group() + "-" + nonce + "-" + run))))
                .toList();
    }

    public static Engine measure(EngineReplay replay, Map<String, List<Statement>> captured, int batchSpans,
                                 PrintStream out) {
        EngineReplay.Result floor = replay.measure(new Scenario(EngineReplay.FLOOR, "-", 0, ""),
                EngineReplay.floorStatements(), 20, 200, 0.5, 1);
        List<Statement> single = captured.get(SINGLE);
        EngineReplay.Result singleResult = single == null ? null
                : replay.measure(new Scenario(SINGLE, "-", 0, ""), asNewSessions(single), 3, 30, 1, 5);
        List<Statement> batch = captured.getOrDefault(BATCH, List.of()).stream()
                .filter(s -> RAW_INSERTS.contains(s.name())).toList();
        EngineReplay.Result raw = batch.size() != RAW_INSERTS.size() ? null
                : replay.measure(new Scenario("raw-batch-inserts", "-", 0, ""), batch, 2, 15, 1, 8);
        double rawC1 = raw == null ? Double.NaN : batchSpans / (raw.wallP50Ms() / 1000);
        double rawC4 = raw == null ? Double.NaN : batchSpans * raw.c4RequestsPerSecond();
        // c1 only (its c4 part is kept to the minimum): at c4 the API groups concurrent batches into shared
        // statements, which a replay of one batch's statements from four clients does not
        EngineReplay.Result all = batch.size() != RAW_INSERTS.size() ? null
                : replay.measure(new Scenario("ingest-batch-statements", "-", 0, ""),
                        asNewSessions(captured.get(BATCH)), 2, 15, 0, 1);
        double allC1 = all == null ? Double.NaN : batchSpans / (all.wallP50Ms() / 1000);
        out.printf(Locale.ROOT, "ingest engine: floor %.2f ms; raw inserts of %d spans: %,.0f spans/s c1, %,.0f c4;"
                + " all the batch's statements: %,.0f c1%n", floor.wallP50Ms(), batchSpans, rawC1, rawC4, allC1);
        return new Engine(floor.wallP50Ms(), singleResult, raw, batchSpans, rawC1, rawC4, all, allC1);
    }

    /** Markdown of the ingest and mixed-load targets, from {@code ingest.json}, {@code ingest-engine.json}, {@code mixed.json}. */
    public static List<String> markdown(JsonNode ingest, JsonNode engine, JsonNode mixed) {
        List<String> md = new ArrayList<>();
        md.add("## Ingest and mixed load: targets against the floor");
        md.add("");
        if (engine.isMissingNode()) {
            md.add("Not measured in this run (`bench ingest` without `--engine`).");
            md.add("");
            return md;
        }
        double floor = engine.path("floorP50Ms").asDouble();
        md.add(String.format(Locale.ROOT, "The engine's `SELECT 1` round trip in the same run: **%.2f ms** (the floor)."
                + " A target in ms assumes a 2 ms floor and counts as met when its multiple of the floor is met; a"
                + " throughput target is scaled the same way (5,000 spans/s at a 2 ms floor = 10,000 spans/s × floor"
                + " in ms / 1,000).", floor));
        md.add("");
        md.add("| target | measured | × floor (or ratio) | target multiple | met? |");
        md.add("|---|---|---|---|---|");
        JsonNode c1 = find(ingest, 1, 1);
        if (c1 != null) {
            double p50 = c1.path("p50Ms").asDouble();
            md.add(row("single-trajectory ingest, c1 p50 ≤ 25 ms", String.format(Locale.ROOT, "%.1f ms", p50),
                    p50 / floor, "≤ 12.5×", p50 / floor <= 12.5));
        }
        JsonNode c16 = find(ingest, 1, 16);
        if (c16 != null) {
            double sps = c16.path("spansPerSecond").asDouble();
            double scaled = sps * floor / 2.0;
            md.add(row("single-trajectory ingest, 16 clients ≥ 5,000 spans/s", String.format(Locale.ROOT,
                    "%,.0f spans/s (p50 %.0f ms)", sps, c16.path("p50Ms").asDouble()), Double.NaN,
                    String.format(Locale.ROOT, "%,.0f spans/s at a 2 ms floor ≥ 5,000", scaled), scaled >= 5000));
        }
        for (int clients : new int[] {1, 4}) {
            JsonNode batch = find(ingest, 100, clients);
            double raw = engine.path(clients == 1 ? "rawSpansPerSecondC1" : "rawSpansPerSecondC4").asDouble();
            // at c1 only (see measure)
            double all = clients == 1 ? engine.path("batchStatementsSpansPerSecondC1").asDouble() : 0;
            if (batch != null && raw > 0) {
                double sps = batch.path("spansPerSecond").asDouble();
                double ratio = sps / raw;
                String engineAll = all > 0 ? String.format(Locale.ROOT, "; the engine alone, every statement of the"
                        + " batch: %,.0f spans/s = %.2f of raw, the API reaching %.2f of it", all, all / raw, sps / all)
                        : "";
                md.add(row("batch ingest (100 trajectories) ≥ 90 % of the engine's raw inserts of the same rows, c"
                        + clients, String.format(Locale.ROOT, "%,.0f spans/s vs raw %,.0f%s", sps, raw, engineAll),
                        ratio, "≥ 0.90", ratio >= 0.90));
            }
        }
        if (!mixed.isMissingNode()) {
            JsonNode idle = mixed.path("idle");
            JsonNode busy = mixed.path("mixed");
            double p50 = busy.path("p50Ms").asDouble() / idle.path("p50Ms").asDouble();
            double p99 = busy.path("p99Ms").asDouble() / idle.path("p99Ms").asDouble();
            md.add(row("mixed load: list p50 ≤ 2× idle (4 listers, + 2 ingesters)", String.format(Locale.ROOT,
                    "%.1f ms vs idle %.1f ms", busy.path("p50Ms").asDouble(), idle.path("p50Ms").asDouble()), p50,
                    "≤ 2×", p50 <= 2));
            md.add(row("mixed load: list p99 ≤ 3× idle", String.format(Locale.ROOT, "%.1f ms vs idle %.1f ms",
                    busy.path("p99Ms").asDouble(), idle.path("p99Ms").asDouble()), p99, "≤ 3×", p99 <= 3));
            long errors = mixed.path("crowdErrors").asLong();
            md.add(row("no 503 below 16 concurrent clients", String.format(Locale.ROOT, "%d of %d requests failed"
                    + " (%d listers + %d ingesters, default query timeout)", errors, mixed.path("crowdRequests")
                    .asLong(), mixed.path("crowdListers").asInt(), mixed.path("crowdIngesters").asInt()), Double.NaN,
                    "0", errors == 0));
        }
        md.add("");
        JsonNode single = engine.path("single");
        if (!single.isMissingNode() && !single.isNull()) {
            md.add("Where a single-trajectory ingest's time goes: its statements replayed straight to the engine, one"
                    + " after another (p50 of each statement's engine time, ms, and as a multiple of the floor):");
            md.add("");
            md.add("| statement | engine p50 ms | × floor |");
            md.add("|---|---|---|");
            for (int i = 0; i < single.path("statements").size(); i++) {
                double ms = single.path("statementElapsedP50Ms").path(i).asDouble();
                md.add(String.format(Locale.ROOT, "| `%s` | %.2f | %.1f× |", single.path("statements").path(i).asText(),
                        ms, ms / floor));
            }
            md.add(String.format(Locale.ROOT, "| all, HTTP round trips included | %.2f | %.1f× |",
                    single.path("wallP50Ms").asDouble(), single.path("wallP50Ms").asDouble() / floor));
            md.add("");
        }
        if (!mixed.isMissingNode()) {
            md.add(String.format(Locale.ROOT, "Mixed load (`bench mixed`): %d listers on `%s` alone, then with %d"
                            + " ingesters posting %d trajectories per request (%,.0f spans/s written meanwhile); then"
                            + " %d listers and %d ingesters (trajectories per request: %d) at once against an API"
                            + " with the default query timeout.",
                    mixed.path("listers").asInt(), mixed.path("listPath").asText(), mixed.path("ingesters").asInt(),
                    mixed.path("ingestBatch").asInt(), mixed.path("mixedIngestSpansPerSecond").asDouble(),
                    mixed.path("crowdListers").asInt(), mixed.path("crowdIngesters").asInt(),
                    mixed.path("crowdIngestBatch").asInt()));
            md.add("");
            md.add("| run | list req/s | list p50 ms | list p90 ms | list p99 ms | errors |");
            md.add("|---|---|---|---|---|---|");
            for (String k : List.of("idle", "mixed", "crowd")) {
                JsonNode r = mixed.path(k);
                md.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %d |", k,
                        r.path("requestsPerSecond").asDouble(), r.path("p50Ms").asDouble(), r.path("p90Ms").asDouble(),
                        r.path("p99Ms").asDouble(), r.path("errors").asLong()));
            }
            md.add("");
        }
        return md;
    }

    private static String row(String target, String measured, double multiple, String wanted, boolean met) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", target, measured,
                Double.isNaN(multiple) ? "–" : String.format(Locale.ROOT, "%.2f", multiple), wanted,
                met ? "yes" : "**no**");
    }

    /** The run of this shape, or null when it did not run or no request of it finished inside its window. */
    private static JsonNode find(JsonNode ingest, int trajectories, int clients) {
        for (JsonNode r : ingest) {
            if (r.path("trajectoriesPerRequest").asInt() == trajectories && r.path("clients").asInt() == clients
                    && r.path("requests").asLong() > 0) {
                return r;
            }
        }
        return null;
    }
}
