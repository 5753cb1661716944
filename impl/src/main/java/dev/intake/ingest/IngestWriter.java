package dev.intake.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.experiments.Experiment;
import dev.intake.experiments.Experiments;
import dev.intake.sessions.SessionIndex;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.Versions;
import dev.intake.web.ApiProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes trajectories with a fixed number of statements whatever their size: retire the previous copies, insert
 * all spans, insert all results, then recompute the session index. The index is written last, so a reader sees a
 * session only once its spans and results are all stored; if any statement fails, the index still shows the last
 * complete copy (or nothing) and the client's retry converges.
 */
public final class IngestWriter {
    private static final Sql RETIRE_SPANS = Sql.load(IngestWriter.class, "retire-spans.sql");
    private static final Sql RETIRE_RESULTS = Sql.load(IngestWriter.class, "retire-results.sql");
    private static final Sql INSERT_SPANS = Sql.load(IngestWriter.class, "insert-spans.sql");
    private static final Sql INSERT_RESULTS = Sql.load(IngestWriter.class, "insert-results.sql");

    private final Store store;
    private final Experiments experiments;
    private final SessionIndex index;
    private final AtifMapper mapper;
    private final IngestObserver observer;

    public IngestWriter(Store store, Experiments experiments, SessionIndex index, ObjectMapper json,
                        IngestObserver observer) {
        this.store = store;
        this.observer = observer;
        this.experiments = experiments;
        this.index = index;
        this.mapper = new AtifMapper(json);
    }

    /** Maps and writes valid trajectories; all or nothing becomes visible. */
    List<MappedTrajectory> write(String workspace, List<AtifTrajectory> trajectories) {
        // The body already passed its schema and AtifRules (see BodyValidation): only the store can refuse it now.
        Map<String, Optional<Experiment>> byName = new HashMap<>();
        Instant ingestTime = Instant.now();
        List<MappedTrajectory> mapped = new ArrayList<>();
        for (AtifTrajectory t : trajectories) {
            Experiment experiment = null;
            if (t.getExperimentContext() != null) {
                String name = t.getExperimentContext().getExperimentId();
                String at = trajectories.size() == 1 ? "$" : "$.trajectories[" + mapped.size() + "]";
                experiment = byName.computeIfAbsent(name, n -> experiments.find(workspace, n)).orElseThrow(() ->
                        ApiProblemException.badRequest("Experiment '" + name + "' must be created before it can be logged.",
                                List.of(new ApiProblemException.FieldError(at + ".experiment_context.experiment_id",
                                        "no experiment named '" + name + "' in workspace '" + workspace + "'"))));
            }
            mapped.add(mapper.map(workspace, t, experiment, ingestTime));
        }
        store(workspace, mapped);
        observer.written(mapped.size(), mapped.stream().mapToInt(m -> m.spans().size()).sum(),
                mapped.stream().mapToInt(m -> m.results().size()).sum());
        return mapped;
    }

    private void store(String workspace, List<MappedTrajectory> mapped) {
        List<String> sessionIds = mapped.stream().map(MappedTrajectory::sessionId).distinct().toList();
        Instant retired = Versions.next();
        store.execute(RETIRE_SPANS, Params.of("workspace", workspace).with("session_ids", sessionIds).with("version", retired));
        store.execute(RETIRE_RESULTS, Params.of("workspace", workspace).with("session_ids", sessionIds).with("version", retired));
        Instant version = Versions.next();
        List<Params> spans = new ArrayList<>();
        List<Params> results = new ArrayList<>();
        for (MappedTrajectory m : mapped) {
            m.spans().forEach(s -> spans.add(spanParams(workspace, s, version)));
            m.results().forEach(r -> results.add(resultParams(workspace, r, version)));
        }
        store.insertBatch(INSERT_SPANS, spans);
        store.insertBatch(INSERT_RESULTS, results);
        Instant indexed = Versions.next();
        Map<Experiment, List<String>> byExperiment = new LinkedHashMap<>();
        List<String> withoutExperiment = new ArrayList<>();
        for (MappedTrajectory m : mapped) {
            if (m.experiment() == null) {
                withoutExperiment.add(m.sessionId());
            } else {
                byExperiment.computeIfAbsent(m.experiment(), e -> new ArrayList<>()).add(m.sessionId());
            }
        }
        byExperiment.forEach((e, ids) -> index.refresh(workspace, e.id(), e.name(), ids, indexed));
        if (!withoutExperiment.isEmpty()) {
            index.refresh(workspace, SessionIndex.NO_EXPERIMENT, "", withoutExperiment, indexed);
        }
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
