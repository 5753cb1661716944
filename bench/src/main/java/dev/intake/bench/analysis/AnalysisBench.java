package dev.intake.bench.analysis;

import dev.intake.bench.Api;
import dev.intake.bench.engine.EngineReplay;
import dev.intake.bench.engine.Statement;
import dev.intake.bench.load.LoadDriver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the analysis requests (statistics, test cases, comparison) at concurrency 1 through the API, the same
 * statements replayed straight to the engine, and the engine's {@code SELECT 1} round trip in the same run, so
 * every figure can be read as a multiple of that floor.
 */
public final class AnalysisBench {
    /** One request's figures; ms. */
    public record Row(String scenario, String experiment, String path, double targetMs, double apiP50Ms,
                      double apiP90Ms, long requests, List<String> statements, double engineWallP50Ms,
                      double engineElapsedP50Ms) {
    }

    /** The whole run. */
    public record Run(double floorP50Ms, List<Row> rows) {
    }

    private AnalysisBench() {
    }

    /** Seeds the comparison experiments (the 100k one comes from the main corpus). */
    public static void seed(Api api, dev.intake.bench.corpus.Trajectories trajectories, PrintStream out) {
        AnalysisCorpus.seed(api, trajectories, out);
    }

    /** Each request's key (for the capture proxy) and its path in the workspace. */
    public static Map<String, String> pathsByKey(String big, List<String> others) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (AnalysisTarget t : AnalysisTarget.all(big, others)) {
            paths.put(t.key(), t.path());
        }
        return paths;
    }

    public static Run measure(Api api, String big, List<String> others, EngineReplay replay,
                              Map<String, List<Statement>> captured, double warmup, double seconds, int reps,
                              PrintStream out) {
        EngineReplay.Result floor = replay.floor(reps * 2);
        LoadDriver driver = new LoadDriver(out);
        List<Row> rows = new ArrayList<>();
        for (AnalysisTarget t : AnalysisTarget.all(big, others)) {
            LoadDriver.Result api1 = driver.run(t.scenario(), 1, warmup, seconds, () -> {
                Api.Reply r = api.get(api.uri(t.path()));
                return r.status() == 200 ? r.nanos() : -r.nanos();
            });
            List<Statement> statements = captured.get(t.key());
            EngineReplay.Result engine = statements == null ? null
                    : replay.measure(t.scenario(), statements, 5, reps, 0.5, 1);
            rows.add(new Row(t.name(), t.experiment(), t.path(), t.targetMs(), api1.p50Ms(), api1.p90Ms(),
                    api1.requests(), engine == null ? List.of() : engine.statements(),
                    engine == null ? Double.NaN : engine.wallP50Ms(), engine == null ? Double.NaN : engine.elapsedP50Ms()));
        }
        out.printf("analysis: SELECT 1 floor p50 %.2f ms%n", floor.wallP50Ms());
        return new Run(floor.wallP50Ms(), rows);
    }

    /** Markdown section of RESULTS.md for a run. */
    public static List<String> markdown(com.fasterxml.jackson.databind.JsonNode run) {
        List<String> md = new ArrayList<>();
        double floor = run.path("floorP50Ms").asDouble();
        md.add("## Statistics, test cases and comparison (analysis)");
        md.add("");
        md.add(String.format(java.util.Locale.ROOT, "Concurrency 1, p50 over the window. The engine's `SELECT 1` round"
                + " trip in the same run: **%.2f ms** (the floor); a target in ms assumes a ~2 ms floor and counts as"
                + " met when its multiple of the floor is met (40 ms = 20×, 25 ms = 12.5×).", floor));
        md.add("");
        md.add("| request | experiment | API p50 | API p90 | × floor | target | met? | engine wall p50 | engine × floor"
                + " | API / engine | statements |");
        md.add("|---|---|---|---|---|---|---|---|---|---|---|");
        for (com.fasterxml.jackson.databind.JsonNode r : run.path("rows")) {
            if (r.path("targetMs").asDouble() <= 0) {
                continue; // a point of the growth table only
            }
            double p50 = r.path("apiP50Ms").asDouble();
            double multiple = p50 / floor;
            double targetMultiple = r.path("targetMs").asDouble() / 2.0;
            double engine = r.path("engineWallP50Ms").asDouble();
            md.add(String.format(java.util.Locale.ROOT, "| `%s` | %s | %.2f ms | %.2f ms | %.1f× | %.0f ms (%.1f×) | %s |"
                    + " %.2f ms | %.1f× | %.2f | %s |", r.path("path").asText().replaceFirst("^experiments/[^/]+/", ""),
                    r.path("experiment").asText(), p50, r.path("apiP90Ms").asDouble(), multiple,
                    r.path("targetMs").asDouble(), targetMultiple, multiple <= targetMultiple ? "yes" : "**no**",
                    engine, engine / floor, p50 / engine, String.join(", ", statementNames(r))));
        }
        md.add("");
        return md;
    }

    private static List<String> statementNames(com.fasterxml.jackson.databind.JsonNode r) {
        Map<String, Integer> names = new LinkedHashMap<>();
        r.path("statements").forEach(s -> names.merge(s.asText().replace("dev/intake/", ""), 1, Integer::sum));
        List<String> out = new ArrayList<>();
        names.forEach((n, c) -> out.add(c == 1 ? n : n + " ×" + c));
        return out;
    }
}
