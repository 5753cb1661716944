package dev.intake.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.ExperimentsApi;
import dev.intake.api.model.ExperimentFilter;
import dev.intake.api.model.ExperimentRequest;
import dev.intake.api.model.ExperimentResponse;
import dev.intake.api.model.ExperimentResponsesPage;
import dev.intake.api.model.ExperimentSort;
import dev.intake.api.model.ProblemCode;
import dev.intake.web.ApiProblemException;
import dev.intake.web.Pages;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Experiments CRUD. Names are unique among a workspace's live experiments, across every API instance that shares
 * the store, and a deleted name can be reused; nothing is serialized in this process (see {@link #createExperiment}).
 */
final class ExperimentsResource implements ExperimentsApi {
    private final ExperimentsStore store;
    private final ExperimentMapper mapper;
    private final BeforeDelete beforeDelete;
    private final Clock clock;

    /**
     * @param clock        the time of created_at and updated_at (row versions are the store's own)
     * @param beforeDelete runs before an experiment row is deleted (the session index retires its sessions); if it
     *                     fails, the experiment is left whole
     */
    ExperimentsResource(ExperimentsStore store, ObjectMapper json, Clock clock, BeforeDelete beforeDelete) {
        this.store = store;
        this.clock = clock;
        this.mapper = new ExperimentMapper(json);
        this.beforeDelete = beforeDelete;
    }

    /**
     * Insert, then read the winner: every creator of a name claims the name's current generation (how many
     * experiments have ever held it) with ClickHouse's insert deduplication, which keeps exactly one claim per
     * generation; then reads who holds the name. The one that finds its own id answers 201, every other 409. A
     * claim that got in although another creator holds the name (only possible once the deduplication window has
     * forgotten the generation) is retired at once, so the name never has two live experiments.
     */
    @Override
    public ExperimentResponse createExperiment(String workspace, ExperimentRequest request) {
        String name = request.getName();
        ExperimentsStore.NameState state = store.nameState(workspace, name);
        if (state.live() > 0) {
            throw alreadyExists(workspace, name);
        }
        Instant now = now();
        Experiment created = mapper.fromRequest(workspace, UUID.randomUUID(), request, now, now);
        store.create(created, state.generation());
        Experiment holder = store.find(workspace, name).orElseThrow(() -> alreadyExists(workspace, name));
        if (!holder.id().equals(created.id())) {
            if (store.nameState(workspace, name).live() > 1) {
                store.write(created, true);
            }
            throw alreadyExists(workspace, name);
        }
        return mapper.toResponse(created);
    }

    private static ApiProblemException alreadyExists(String workspace, String name) {
        return ApiProblemException.conflict(ProblemCode.EXPERIMENT_NAME_TAKEN,
                "Experiment '" + workspace + "/" + name + "' already exists.",
                List.of(new ApiProblemException.FieldError("$.name", "is taken by a live experiment")));
    }

    @Override
    public ExperimentResponse getExperiment(String workspace, String name) {
        return mapper.toResponse(existing(workspace, name));
    }

    @Override
    public ExperimentResponsesPage listExperiments(String workspace, Integer page, Integer pageSize, ExperimentSort sort,
                                                   String name, String agentName, String datasetName) {
        ExperimentsStore.Filter filter = new ExperimentsStore.Filter(name, agentName, datasetName);
        long total = store.count(workspace, filter);
        List<ExperimentResponse> data = new ArrayList<>();
        if (Pages.offset(page, pageSize) < total) {
            store.list(workspace, filter, sort, pageSize, Pages.offset(page, pageSize))
                    .forEach(e -> data.add(mapper.toResponse(e)));
        }
        return new ExperimentResponsesPage(data, Pages.pagination(page, pageSize, data.size(), total), sort,
                new ExperimentFilter(name, agentName, datasetName));
    }

    @Override
    public ExperimentResponse updateExperiment(String workspace, String name, ExperimentRequest request) {
        Experiment current = existing(workspace, name);
        List<String> changed = immutableChanges(current, request);
        if (!changed.isEmpty()) {
            throw ApiProblemException.conflict(ProblemCode.IMMUTABLE_FIELD, "Experiment '" + workspace + "/" + name
                    + "': immutable field(s) cannot change: " + String.join(", ", changed) + ".",
                    changed.stream().map(f -> new ApiProblemException.FieldError("$." + f,
                            "is immutable and differs from the stored value")).toList());
        }
        // Concurrent updates: the last version wins. An update racing a delete loses to its tombstone.
        Experiment updated = mapper.fromRequest(workspace, current.id(), request, current.createdAt(), now());
        store.write(updated, false);
        return mapper.toResponse(updated);
    }

    @Override
    public void deleteExperiment(String workspace, String name) {
        Experiment experiment = existing(workspace, name);
        beforeDelete.experimentDeleting(workspace, experiment.name());
        store.write(experiment, true);
    }

    /** Microseconds: what the store keeps, so an answer shows exactly what a later read returns. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private Experiment existing(String workspace, String name) {
        return store.find(workspace, name).orElseThrow(
                () -> ApiProblemException.notFound(ProblemCode.EXPERIMENT_NOT_FOUND, "Experiment '" + workspace + "/" + name + "' not found."));
    }

    private static List<String> immutableChanges(Experiment current, ExperimentRequest r) {
        List<String> changed = new ArrayList<>();
        if (!current.name().equals(r.getName())) {
            changed.add("name");
        }
        if (!current.agentName().equals(r.getAgentName())) {
            changed.add("agent_name");
        }
        if (!current.agentVersion().equals(r.getAgentVersion())) {
            changed.add("agent_version");
        }
        if (!current.datasetName().equals(r.getDatasetName())) {
            changed.add("dataset_name");
        }
        if (!Objects.equals(current.datasetVersion(), r.getDatasetVersion())) {
            changed.add("dataset_version");
        }
        return changed;
    }
}
