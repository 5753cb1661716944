package dev.intake.bench.analysis;

import dev.intake.bench.Api;
import dev.intake.bench.corpus.Trajectories;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two experiments of the comparison benchmark: {@value #BASELINE} and {@value #CANDIDATE}, 10,000 sessions each
 * over the corpus's 50 test cases (200 repetitions each), with the corpus's trajectories and a {@code quality}
 * score drawn from a normal distribution (mean 0.6, sd 0.15, clipped to [0, 1]); in the candidate, test cases
 * case-0 … case-4 score 0.08 higher and case-5 … case-9 0.08 lower, the rest alike. Deterministic, so a rerun
 * replaces rather than duplicates; skipped when both experiments are complete.
 */
final class AnalysisCorpus {
    static final String BASELINE = "compare-baseline";
    static final String CANDIDATE = "compare-candidate";
    static final int SESSIONS = 10_000;
    static final int BATCH = 500;

    private AnalysisCorpus() {
    }

    static void seed(Api api, Trajectories trajectories, PrintStream out) {
        for (String experiment : List.of(BASELINE, CANDIDATE)) {
            api.postJson("experiments", Map.of("name", experiment, "agent_name", "bench-agent", "agent_version", "1.0",
                    "dataset_name", "bench"));
            long present = api.get(api.uri("experiments/" + experiment + "/stats")).json().path("sessions").asLong();
            if (present >= SESSIONS) {
                out.printf("analysis-seed: %s complete (%,d sessions)%n", experiment, present);
                continue;
            }
            long start = System.nanoTime();
            for (int first = 0; first < SESSIONS; first += BATCH) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int i = first; i < first + BATCH; i++) {
                    batch.add(withQuality(trajectories.trajectory(experiment, i), experiment, i));
                }
                Api.Reply r = api.postJson("ingest/atif/batch", Map.of("trajectories", batch));
                if (r.status() != 201) {
                    throw new IllegalStateException(experiment + "@" + first + " answered " + r.status());
                }
            }
            out.printf("analysis-seed: %s seeded in %.1f s%n", experiment, (System.nanoTime() - start) / 1e9);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withQuality(Map<String, Object> trajectory, String experiment, int index) {
        SplittableRandom rnd = new SplittableRandom(experiment.hashCode() * 1_000_003L + index);
        int testCase = index % Trajectories.TEST_CASES;
        double shift = !experiment.equals(CANDIDATE) ? 0 : testCase < 5 ? 0.08 : testCase < 10 ? -0.08 : 0;
        double quality = Math.max(0, Math.min(1, 0.6 + shift + 0.15 * gaussian(rnd)));
        Map<String, Object> t = new LinkedHashMap<>(trajectory);
        Map<String, Object> extra = new LinkedHashMap<>((Map<String, Object>) t.get("extra"));
        Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) extra.get("verifier_result"));
        Map<String, Object> rewards = new LinkedHashMap<>((Map<String, Object>) result.get("rewards"));
        rewards.put("quality", Math.round(quality * 1000) / 1000.0);
        result.put("rewards", rewards);
        extra.put("verifier_result", result);
        t.put("extra", extra);
        return t;
    }

    /** A standard normal draw (Box–Muller). */
    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
