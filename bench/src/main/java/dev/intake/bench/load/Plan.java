package dev.intake.bench.load;

import dev.intake.bench.corpus.CorpusPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Which scenarios run at which concurrency: the issue's six on the main deep experiment at every concurrency, plus
 * page 1 and the deep page of the other deep experiments at concurrency 1 (the p50-against-size points), and the
 * analysis scenarios (sorts, score and latency filters, a deep cursor page) of the 10k and 100k experiments at c1,
 * with the cost sort of the smaller ones (the growth table's points). The
 * capture step and the engine replay use the same list, so every API figure has its engine counterpart.
 */
public record Plan(List<Scenario> scenarios, List<Integer> concurrencies, List<Scenario> sizeScenarios) {
    public static Plan of(int mainDeep, List<Integer> deepSizes, int wideSessions, List<Integer> concurrencies) {
        List<Scenario> sizes = new ArrayList<>();
        for (int size : deepSizes) {
            if (size != mainDeep) {
                sizes.addAll(Scenario.sizes(CorpusPlan.deepName(size), size));
            }
        }
        // the analysis list (sorts, filters, a deep cursor) on the 10k and 100k experiments, c1; the cost sort on the
        // smaller ones too, a point of the growth table
        for (int size : deepSizes) {
            List<Scenario> analysis = Scenario.analysis(CorpusPlan.deepName(size), size);
            sizes.addAll(size >= 10_000 ? analysis : analysis.subList(0, 1));
        }
        return new Plan(Scenario.standard(CorpusPlan.deepName(mainDeep), mainDeep, CorpusPlan.wideName(0),
                wideSessions), List.copyOf(concurrencies), List.copyOf(sizes));
    }

    /** The analysis list's scenarios alone (c1), without the seed's standard ones and the size points. */
    public Plan analysisOnly() {
        List<Scenario> analysis = sizeScenarios.stream().filter(s -> Scenario.ANALYSIS.contains(s.name())).toList();
        return new Plan(List.of(), List.of(), analysis);
    }

    /** Every distinct request of the plan. */
    public List<Scenario> all() {
        List<Scenario> all = new ArrayList<>(scenarios);
        all.addAll(sizeScenarios);
        return all;
    }

    /** Key that ties an API figure to its engine figure. */
    public static String key(Scenario s) {
        return s.name() + "@" + s.experiment();
    }
}
