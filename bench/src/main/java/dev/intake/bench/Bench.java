package dev.intake.bench;

import dev.intake.bench.analysis.AnalysisBench;
import dev.intake.bench.corpus.CorpusPlan;
import dev.intake.bench.corpus.IngestThroughput;
import dev.intake.bench.corpus.Seeder;
import dev.intake.bench.corpus.Trajectories;
import dev.intake.bench.engine.CaptureProxy;
import dev.intake.bench.engine.EngineReplay;
import dev.intake.bench.engine.Statement;
import dev.intake.bench.export.ExportBench;
import dev.intake.bench.ingest.IngestTargets;
import dev.intake.bench.ingest.MixedLoad;
import dev.intake.bench.load.LoadDriver;
import dev.intake.bench.load.Plan;
import dev.intake.bench.load.Scenario;
import dev.intake.bench.report.Facts;
import dev.intake.bench.report.Report;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark's command line; {@code bench/run} calls these steps in order. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {Bench.Seed.class, Bench.Ingest.class,
        Bench.Mixed.class, Bench.Load.class, Bench.Proxy.class, Bench.Capture.class, Bench.Engine.class, Bench.ExportCmd.class,
        Bench.FactsCmd.class, Bench.ReportCmd.class, Bench.AnalysisSeed.class, Bench.AnalysisCapture.class,
        Bench.Analysis.class})
public final class Bench {
    static final String WORKSPACE = "load-testing";

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    /** Options every API-facing step shares. */
    static class Corpus {
        @Option(names = "--api", defaultValue = "http://127.0.0.1:18480", description = "Base URL of the API")
        String api;
        @Option(names = "--deep", split = ",", defaultValue = "10000",
                description = "Sessions of each deep experiment (deep-<n>); the first is the main one")
        List<Integer> deep;
        @Option(names = "--wide", defaultValue = "100", description = "Number of wide experiments")
        int wide;
        @Option(names = "--wide-sessions", defaultValue = "100", description = "Sessions per wide experiment")
        int wideSessions;
        @Option(names = "--results", defaultValue = "bench/results", description = "Folder for the JSON results")
        Path results;

        Api api() {
            return new Api(api, WORKSPACE);
        }

        /** The deep experiments' names, the main one first. */
        List<String> deepNames() {
            return deep.stream().map(CorpusPlan::deepName).toList();
        }

        @Option(names = "--analysis-only",
                description = "Only the analysis list's scenarios (sorts, filters, a deep cursor), at concurrency 1")
        boolean analysisOnly;

        Plan plan(List<Integer> concurrencies) {
            Plan all = Plan.of(deep.get(0), deep, wideSessions, concurrencies);
            return analysisOnly ? all.analysisOnly() : all;
        }
    }

    @Command(name = "seed", description = "Seed the upstream-shaped corpus through the batch ingest API (resumable)")
    static final class Seed implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--batch", defaultValue = "500", description = "Trajectories per request (max 1000)")
        int batch;
        @Option(names = "--clients", defaultValue = "2")
        int clients;
        @Option(names = "--checkpoint", defaultValue = ".data/bench/seed-checkpoint.txt")
        Path checkpoint;

        @Override
        public Integer call() throws Exception {
            CorpusPlan plan = CorpusPlan.of(corpus.deep, corpus.wide, corpus.wideSessions);
            Seeder.Report r = new Seeder(corpus.api(), new Trajectories(Instant.now()), checkpoint, batch, clients,
                    System.out).seed(plan);
            if (r.sessionsSent() == 0) {
                return 0; // nothing was missing: keep the figures of the run that seeded
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("plan", plan.experiments().size() + " experiments: deep " + corpus.deep + ", " + corpus.wide
                    + " x " + corpus.wideSessions);
            out.put("sessions", plan.sessions());
            out.put("spans", plan.sessions() * Trajectories.SPANS_PER_SESSION);
            out.put("evaluator_results", plan.sessions() * Trajectories.RESULTS_PER_SESSION);
            out.put("last_run", r);
            Path file = corpus.results.resolve("seed-" + String.join("-", corpus.deep.stream().map(String::valueOf)
                    .toList()) + ".json");
            Results.write(file, out);
            return 0;
        }
    }

    @Command(name = "ingest", description = "Ingest: single and batch requests at several client counts; with"
            + " --engine and --captured also the floor, the single ingest's statements and the raw insert ceiling")
    static final class Ingest implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--runs", split = ",", defaultValue = "1x1,1x16,100x1,100x4",
                description = "trajectories per request x clients; 1 trajectory = the single endpoint")
        List<String> runs;
        @Option(names = "--warmup", defaultValue = "3")
        double warmup;
        @Option(names = "--seconds", defaultValue = "15")
        double seconds;
        @Option(names = "--engine", description = "Engine base URL: measure the engine's side of the targets too")
        String engine;
        @Option(names = "--captured", description = "File the capture proxy wrote (with the ingest requests)")
        Path captured;

        @Override
        public Integer call() throws Exception {
            IngestThroughput t = new IngestThroughput(new Api(corpus.api, IngestThroughput.WORKSPACE),
                    new Trajectories(Instant.now()), System.out);
            List<IngestThroughput.Result> results = new ArrayList<>();
            for (String run : runs) {
                String[] parts = run.split("x");
                results.add(t.run(Integer.parseInt(parts[1]), Integer.parseInt(parts[0]), warmup, seconds));
            }
            Results.write(corpus.results.resolve("ingest.json"), results);
            if (engine != null && captured != null) {
                Results.write(corpus.results.resolve("ingest-engine.json"), IngestTargets.measure(
                        new EngineReplay(engine, System.out), statements(captured),
                        IngestThroughput.CAPTURED_BATCH * Trajectories.SPANS_PER_SESSION, System.out));
            }
            return 0;
        }
    }

    @Command(name = "mixed", description = "The sessions list alone and while ingesters write; then a crowd of"
            + " fewer than 16 clients against an API with the default query timeout")
    static final class Mixed implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--crowd-api", required = true, description = "API with the default query timeout")
        String crowdApi;
        @Option(names = "--listers", defaultValue = "4")
        int listers;
        @Option(names = "--ingesters", defaultValue = "2")
        int ingesters;
        @Option(names = "--ingest-batch", defaultValue = "100", description = "Trajectories per ingest request")
        int ingestBatch;
        @Option(names = "--crowd-listers", defaultValue = "12")
        int crowdListers;
        @Option(names = "--crowd-ingesters", defaultValue = "3")
        int crowdIngesters;
        @Option(names = "--crowd-ingest-batch", defaultValue = "1",
                description = "Trajectories per request of the crowd's ingesters (1: one agent run per request)")
        int crowdIngestBatch;
        @Option(names = "--warmup", defaultValue = "3")
        double warmup;
        @Option(names = "--seconds", defaultValue = "15")
        double seconds;

        @Override
        public Integer call() {
            Trajectories trajectories = new Trajectories(Instant.now());
            Scenario list = Scenario.standard("deep-" + corpus.deep.get(0), corpus.deep.get(0), "wide-000", 100)
                    .get(1);
            MixedLoad.Run run = new MixedLoad(System.out).run(corpus.api(),
                    new IngestThroughput(new Api(corpus.api, IngestThroughput.WORKSPACE), trajectories, System.out),
                    new Api(crowdApi, WORKSPACE),
                    new IngestThroughput(new Api(crowdApi, IngestThroughput.WORKSPACE), trajectories, System.out),
                    list, listers, ingesters, ingestBatch, crowdListers, crowdIngesters, crowdIngestBatch,
                    warmup, seconds);
            Results.write(corpus.results.resolve("mixed.json"), run);
            return 0;
        }
    }

    @Command(name = "load", description = "Closed-loop load on the sessions list")
    static final class Load implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--concurrency", split = ",", defaultValue = "1,4")
        List<Integer> concurrency;
        @Option(names = "--warmup", defaultValue = "3")
        double warmup;
        @Option(names = "--seconds", defaultValue = "15")
        double seconds;
        @Option(names = "--warmup-all", defaultValue = "15",
                description = "Seconds of unmeasured requests over every scenario before the first measured one")
        double warmupAll;

        @Override
        public Integer call() {
            Plan plan = corpus.plan(concurrency);
            LoadDriver driver = new LoadDriver(System.out);
            Api api = corpus.api();
            List<Scenario> everyScenario = new ArrayList<>(plan.scenarios());
            plan.sizeScenarios().forEach(s -> everyScenario.add(s.resolve(api)));
            driver.warm(api, everyScenario, warmupAll);
            List<LoadDriver.Result> results = new ArrayList<>();
            for (int c : plan.concurrencies()) {
                for (Scenario s : plan.scenarios()) {
                    results.add(driver.run(api, s, c, warmup, seconds));
                }
            }
            for (Scenario s : plan.sizeScenarios()) {
                results.add(driver.run(api, s.resolve(api), 1, warmup, seconds));
            }
            Results.write(corpus.results.resolve("load.json"), results);
            return 0;
        }
    }

    @Command(name = "proxy", description = "Recording proxy in front of the engine (runs until stdin closes or killed)")
    static final class Proxy implements Callable<Integer> {
        @Option(names = "--port", required = true)
        int port;
        @Option(names = "--engine", required = true, description = "Engine base URL, e.g. http://127.0.0.1:18481")
        String engine;
        @Option(names = "--file", required = true)
        Path file;

        @Override
        public Integer call() throws Exception {
            CaptureProxy proxy = new CaptureProxy(port, engine, file);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.close();
                } catch (IOException e) {
                    System.err.println("proxy: " + e.getMessage());
                }
            }));
            System.out.println("proxy: listening on 127.0.0.1:" + port + " -> " + engine);
            Thread.sleep(Long.MAX_VALUE);
            return 0;
        }
    }

    @Command(name = "capture", description = "Send each scenario once through an API that talks to the proxy")
    static final class Capture implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--proxy", required = true, description = "Proxy base URL")
        String proxy;
        @Option(names = "--export", split = ",", defaultValue = "",
                description = "Experiments whose NDJSON export is captured too (scenario export@<experiment>)")
        List<String> exports;
        @Option(names = "--skip-list", description = "Capture only the exports, not the list scenarios")
        boolean skipList;
        @Option(names = "--ingest", description = "Capture one single-trajectory ingest and one batch too")
        boolean ingest;

        @Override
        public Integer call() throws Exception {
            Api api = corpus.api();
            // cursors first: the requests that obtain them must not be recorded as part of a scenario
            Map<String, String> paths = new LinkedHashMap<>();
            for (String experiment : exports) {
                if (!experiment.isEmpty()) {
                    paths.put(ExportCmd.key(experiment), "experiments/" + experiment + "/sessions/export");
                }
            }
            Map<String, String> etags = new HashMap<>();
            Set<String> kept = new HashSet<>();
            for (Scenario s : skipList ? List.<Scenario>of() : corpus.plan(List.of(1)).all()) {
                Scenario resolved = s.resolve(api);
                paths.put(Plan.key(resolved), resolved.path());
                if (resolved.conditional()) {
                    etags.put(Plan.key(resolved), api.etag(api.uri(resolved.path())));
                }
                if (resolved.kept()) {
                    kept.add(Plan.key(resolved));
                }
            }
            int status = captureEach(api, proxy, paths, etags, kept);
            if (status == 0 && ingest) {
                HttpClient http = HttpClient.newHttpClient();
                IngestThroughput writer = new IngestThroughput(new Api(corpus.api, IngestThroughput.WORKSPACE),
                        new Trajectories(Instant.now()), System.out);
                // once unrecorded first, as under load: an instance looks an experiment up the first time it meets
                // it, and not again while it sees it live
                writer.send(1);
                for (Map.Entry<String, Integer> e : List.of(Map.entry(IngestTargets.SINGLE, 1),
                        Map.entry(IngestTargets.BATCH, IngestThroughput.CAPTURED_BATCH))) {
                    mark(http, proxy, e.getKey());
                    long spans = writer.send(e.getValue());
                    mark(http, proxy, "");
                    System.out.printf("capture: %-40s -> %d spans%n", e.getKey(), spans);
                }
            }
            return status;
        }

        /**
         * Requests each path once with the proxy marking its key; 1 when one does not answer 200 (304 for a key
         * with an ETag in {@code etags}, sent as If-None-Match). A key in {@code kept} is requested as a repeated
         * read that the instance answers from memory (after an unrecorded read that it keeps).
         */
        static int captureEach(Api api, String proxy, Map<String, String> pathsByKey, Map<String, String> etags,
                               Set<String> kept) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, String> e : pathsByKey.entrySet()) {
                String etag = etags.get(e.getKey());
                if (etag == null && e.getValue().contains("/sessions?")) {
                    // once unrecorded first: a list request's plan may depend on what the instance has seen (a deep
                    // page is read from the nearer end once its total is known), as it does under load
                    api.get(api.uri(e.getValue()));
                }
                mark(http, proxy, e.getKey());
                Api.Reply r = etag != null ? api.get(api.uri(e.getValue()), etag)
                        : kept.contains(e.getKey()) ? api.getKept(api.uri(e.getValue())) : api.get(api.uri(e.getValue()));
                mark(http, proxy, "");
                System.out.printf("capture: %-40s -> %d, %d bytes%n", e.getKey(), r.status(), r.body().length);
                if (r.status() != (etag == null ? 200 : 304)) {
                    return 1;
                }
            }
            return 0;
        }

        private static void mark(HttpClient http, String proxy, String scenario) throws IOException, InterruptedException {
            http.send(HttpRequest.newBuilder(URI.create(proxy + "/__bench/mark?scenario="
                    + java.net.URLEncoder.encode(scenario, StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Command(name = "engine", description = "Replay the captured statements straight to the engine and time them")
    static final class Engine implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @CommandLine.Mixin
        Captured captured;
        @Option(names = "--warmup-reps", defaultValue = "10")
        int warmup;
        @Option(names = "--reps", defaultValue = "100")
        int reps;
        @Option(names = "--c4-seconds", defaultValue = "10")
        double c4Seconds;

        @Override
        public Integer call() throws Exception {
            Map<String, List<Statement>> byScenario = captured.byScenario();
            EngineReplay replay = new EngineReplay(captured.engine, System.out);
            List<EngineReplay.Result> results = new ArrayList<>();
            for (Scenario s : corpus.plan(List.of(1)).all()) {
                List<Statement> statements = byScenario.get(Plan.key(s));
                if (statements == null) {
                    System.out.println("engine: nothing captured for " + Plan.key(s));
                    continue;
                }
                Scenario resolved = s.resolve(corpus.api());
                results.add(replay.measure(s, statements, warmup, reps, 2, c4Seconds)
                        .withInterleaved(replay.interleaved(LoadDriver.request(corpus.api(), resolved), statements,
                                reps)));
            }
            // the floor of this run, which the report's targets are multiples of; with, in turn, the API's own round
            // trip without the store (the hop every API request adds to its statements)
            URI live = corpus.api().root("/health/live");
            results.add(replay.floor(reps * 2).withInterleaved(replay.interleaved(() -> {
                Api.Reply r = corpus.api().get(live);
                return r.status() == 200 ? r.nanos() : -r.nanos();
            }, EngineReplay.floorStatements(), reps)));
            Results.write(corpus.results.resolve("engine.json"), results);
            return 0;
        }
    }

    /** Each captured scenario's statements, in order, without the pool's connection checks. */
    static Map<String, List<Statement>> statements(Path captured) throws IOException {
        Map<String, List<Statement>> byScenario = new LinkedHashMap<>();
        for (String line : Files.readAllLines(captured, StandardCharsets.UTF_8)) {
            Statement s = Api.JSON.readerFor(Statement.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(line);
            if (s.isConnectionCheck()) {
                System.out.println("engine: left out a connection check captured during " + s.scenario());
                continue;
            }
            byScenario.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
        }
        return byScenario;
    }

    @Command(name = "export", description = "Export throughput (NDJSON, CSV), time to first byte, engine time, floor")
    static final class ExportCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @CommandLine.Mixin
        Captured captured;
        @Option(names = "--experiment", required = true)
        String experiment;
        @Option(names = "--reps", defaultValue = "3")
        int reps;
        @Option(names = "--also", split = ",", defaultValue = "",
                description = "Smaller experiments exported too, the growth table's points (export-sizes.json)")
        List<String> also;

        static String key(String experiment) {
            return "export@" + experiment;
        }

        @Override
        public Integer call() throws Exception {
            Map<String, List<Statement>> byScenario = captured.byScenario();
            List<ExportBench.Result> points = new ArrayList<>();
            for (String other : also) {
                if (!other.isEmpty() && !other.equals(experiment)) {
                    List<Statement> statements = byScenario.get(key(other));
                    if (statements == null) {
                        System.out.println("export: nothing captured for " + key(other));
                        return 1;
                    }
                    points.add(new ExportBench(System.out).run(corpus.api, WORKSPACE, other, captured.engine,
                            statements, reps));
                }
            }
            List<Statement> statements = byScenario.get(key(experiment));
            if (statements == null) {
                System.out.println("export: nothing captured for " + key(experiment));
                return 1;
            }
            Results.write(corpus.results.resolve("export.json"), new ExportBench(System.out)
                    .run(corpus.api, WORKSPACE, experiment, captured.engine, statements, reps));
            Results.write(corpus.results.resolve("export-sizes.json"), points);
            return 0;
        }
    }

    /** The engine and the statements captured from the API, for the steps that replay them. */
    static class Captured {
        @Option(names = "--engine", required = true, description = "Engine base URL, e.g. http://127.0.0.1:18481")
        String engine;
        @Option(names = "--captured", required = true, description = "File the capture proxy wrote")
        Path file;

        /** The captured statements by scenario, in order, without the connection checks captured along. */
        Map<String, List<Statement>> byScenario() throws IOException {
            return statements(file);
        }
    }

    @Command(name = "facts", description = "Machine, JDK, engine version and corpus size")
    static final class FactsCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--engine", required = true)
        String engine;

        @Override
        public Integer call() {
            Results.write(corpus.results.resolve("facts.json"), Facts.collect(engine));
            return 0;
        }
    }

    @Command(name = "report", description = "Write RESULTS.md and the p50-against-size plot from the JSON results")
    static final class ReportCmd implements Callable<Integer> {
        @Option(names = "--results", defaultValue = "bench/results")
        Path results;
        @Option(names = "--out", defaultValue = "bench/RESULTS.md")
        Path out;
        @Option(names = "--plot", defaultValue = "bench/p50-vs-size.png")
        Path plot;

        @Override
        public Integer call() throws Exception {
            new Report(results).write(out, plot);
            return 0;
        }
    }

    @Command(name = "analysis-seed", description = "Seed the two 10k experiments of the comparison benchmark")
    static final class AnalysisSeed implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;

        @Override
        public Integer call() {
            AnalysisBench.seed(corpus.api(), new Trajectories(Instant.now()), System.out);
            return 0;
        }
    }

    @Command(name = "analysis-capture", description = "Send each analysis request once through an API behind the proxy")
    static final class AnalysisCapture implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--proxy", required = true, description = "Proxy base URL")
        String proxy;
        @Option(names = "--stats-experiment", defaultValue = "deep-100000",
                description = "The large experiment whose statistics and test cases are timed")
        String statsExperiment;

        @Override
        public Integer call() throws Exception {
            return Capture.captureEach(corpus.api(), proxy, AnalysisBench.pathsByKey(statsExperiment,
                    corpus.deepNames()), Map.of(), Set.of());
        }
    }

    @Command(name = "analysis", description = "Time the analysis requests (API, engine replay, SELECT 1 floor)")
    static final class Analysis implements Callable<Integer> {
        @CommandLine.Mixin
        Corpus corpus;
        @Option(names = "--engine", required = true)
        String engine;
        @Option(names = "--captured", required = true)
        Path captured;
        @Option(names = "--warmup", defaultValue = "2")
        double warmup;
        @Option(names = "--seconds", defaultValue = "10")
        double seconds;
        @Option(names = "--reps", defaultValue = "30")
        int reps;
        @Option(names = "--stats-experiment", defaultValue = "deep-100000",
                description = "The large experiment whose statistics and test cases are timed")
        String statsExperiment;

        @Override
        public Integer call() throws Exception {
            AnalysisBench.Run run = AnalysisBench.measure(corpus.api(), statsExperiment, corpus.deepNames(),
                    new EngineReplay(engine, System.out),
                    statements(captured), warmup, seconds, reps, System.out);
            Results.write(corpus.results.resolve("analysis.json"), run);
            return 0;
        }
    }
}
