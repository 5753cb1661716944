package dev.intake.bench.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * The experiments of the upstream-shaped corpus and their session counts: the deep experiments (one per requested
 * size, named {@code deep-<sessions>}) and the wide ones ({@code wide-000}, ... with a fixed number of sessions each).
 */
public record CorpusPlan(List<Experiment> experiments) {
    /** One experiment to seed. */
    public record Experiment(String name, int sessions) {
    }

    public static CorpusPlan of(List<Integer> deepSizes, int wideExperiments, int wideSessions) {
        List<Experiment> list = new ArrayList<>();
        for (int size : deepSizes) {
            list.add(new Experiment(deepName(size), size));
        }
        for (int i = 0; i < wideExperiments; i++) {
            list.add(new Experiment(wideName(i), wideSessions));
        }
        return new CorpusPlan(List.copyOf(list));
    }

    public static String deepName(int sessions) {
        return "deep-" + sessions;
    }

    public static String wideName(int index) {
        return String.format("wide-%03d", index);
    }

    public long sessions() {
        return experiments.stream().mapToLong(Experiment::sessions).sum();
    }
}
