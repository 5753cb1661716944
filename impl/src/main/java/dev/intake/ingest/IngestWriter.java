package dev.intake.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.ProblemCode;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.Versions;
import dev.intake.web.ApiProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Writes trajectories with a fixed number of statements whatever their size: insert all spans and all results as
 * one new generation, record the generation as complete, retire older generations, then recompute the session
 * index. The index is written last, so a reader sees a session only once its spans and results are all stored; if
 * any statement fails, the index still shows the last complete copy (or nothing) and the client's retry converges.
 * Concurrent re-ingests of one session, from this or another instance, leave exactly one of them: the one whose
 * generation is the latest.
 */
final class IngestWriter {
    private static final Sql RETIRE_SPANS = Sql.load(IngestWriter.class, "retire-spans.sql");
    private static final Sql RETIRE_RESULTS = Sql.load(IngestWriter.class, "retire-results.sql");
    private static final Sql INSERT_SPANS = Sql.load(IngestWriter.class, "insert-spans.sql");
    private static final Sql INSERT_RESULTS = Sql.load(IngestWriter.class, "insert-results.sql");
    private static final Sql INSERT_GENERATIONS = Sql.load(IngestWriter.class, "insert-generations.sql");

    private final Store store;
    private final KnownExperiments experiments;
    private final SessionRows index;
    private final AtifMapper mapper;
    private final IngestObserver observer;

    IngestWriter(Store store, KnownExperiments experiments, SessionRows index, ObjectMapper json,
                        IngestObserver observer) {
        this.store = store;
        this.observer = observer;
        this.experiments = experiments;
        this.index = index;
        this.mapper = new AtifMapper(json);
    }

    /**
     * Maps and writes valid trajectories; all or nothing becomes visible.
     *
     * @param at the JSON path of each trajectory in the request body, for problems ({@code $}, or
     *           {@code $.trajectories[i]} in a batch)
     */
    List<MappedTrajectory> write(String workspace, List<AtifTrajectory> trajectories, IntFunction<String> at) {
        // The body already passed its schema and IngestBodyRules (see BodyValidation): only the store can refuse it now,
        // or an experiment that does not exist (every one is listed).
        Map<String, Boolean> known = new HashMap<>();
        List<ApiProblemException.FieldError> unknown = new ArrayList<>();
        Set<String> unknownNames = new TreeSet<>();
        Instant ingestTime = Instant.now();
        List<MappedTrajectory> mapped = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            AtifTrajectory t = trajectories.get(i);
            String experiment = null;
            if (t.getExperimentContext() != null) {
                String name = t.getExperimentContext().getExperimentId();
                experiment = name;
                if (!known.computeIfAbsent(name, n -> experiments.exists(workspace, n))) {
                    unknownNames.add(name);
                    unknown.add(new ApiProblemException.FieldError(at.apply(i) + ".experiment_context.experiment_id",
                            "no experiment named '" + name + "' in workspace '" + workspace + "'"));
                }
            }
            mapped.add(mapper.map(workspace, t, experiment, ingestTime));
        }
        if (!unknown.isEmpty()) {
            throw ApiProblemException.unprocessable(ProblemCode.EXPERIMENT_NOT_FOUND, unknownNames.size() == 1
                    ? "Experiment '" + unknownNames.iterator().next() + "' must be created before it can be logged."
                    : "Experiments " + String.join(", ", unknownNames.stream().map(n -> "'" + n + "'").toList())
                            + " must be created before they can be logged.", unknown);
        }
        store(workspace, mapped);
        observer.written(mapped.size(), mapped.stream().mapToInt(m -> m.spans().size()).sum(),
                mapped.stream().mapToInt(m -> m.results().size()).sum());
        return mapped;
    }

    /**
     * One generation for every row of this request: spans and results carry it as their version, then it is
     * recorded as complete, then older generations are retired and the index recomputed from the latest complete
     * one (see the SQL files). Six statements, whatever the number of trajectories and experiments.
     */
    private void store(String workspace, List<MappedTrajectory> mapped) {
        List<String> sessionIds = mapped.stream().map(MappedTrajectory::sessionId).distinct().toList();
        Instant generation = Versions.next();
        List<Params> spans = new ArrayList<>();
        List<Params> results = new ArrayList<>();
        List<Params> generations = new ArrayList<>();
        for (MappedTrajectory m : mapped) {
            m.spans().forEach(s -> spans.add(spanParams(workspace, s, generation)));
            m.results().forEach(r -> results.add(resultParams(workspace, r, generation)));
            generations.add(Params.of("workspace", workspace).with("session_id", m.sessionId())
                    .with("generation", generation)
                    .with("span_count", m.spans().stream().map(s -> s.traceId() + "/" + s.spanId()).distinct().count())
                    .with("result_count", m.results().stream().map(r -> r.spanId() + "/" + r.name() + "/" + r.resultId())
                            .distinct().count()));
        }
        store.insertBatch(INSERT_SPANS, spans);
        store.insertBatch(INSERT_RESULTS, results);
        store.insertBatch(INSERT_GENERATIONS, generations);
        Params sessions = Params.of("workspace", workspace).with("session_ids", sessionIds);
        store.execute(RETIRE_SPANS, sessions);
        store.execute(RETIRE_RESULTS, sessions);
        index.refresh(workspace, sessionIds);
    }

    private static Params spanParams(String workspace, SpanRow s, Instant version) {
        return Params.of("workspace", workspace).with("session_id", s.sessionId()).with("trace_id", s.traceId())
                .with("span_id", s.spanId()).with("parent_span_id", s.parentSpanId()).with("source_format", "atif")
                .with("kind", s.kind()).with("name", s.name()).with("status", s.status())
                .with("start_time", s.startTime()).with("end_time", s.endTime())
                .with("attributes_string", s.attributesString()).with("attributes_number", s.attributesNumber())
                .with("attributes_bool", s.attributesBool()).with("input", s.input()).with("output", s.output())
                .with("version", version);
    }

    private static Params resultParams(String workspace, ResultRow r, Instant version) {
        return Params.of("workspace", workspace).with("session_id", r.sessionId()).with("span_id", r.spanId())
                .with("name", r.name()).with("evaluator_result_id", r.resultId()).with("data_type", r.dataType())
                .with("value", r.value()).with("string_value", r.stringValue()).with("version", version);
    }
}
