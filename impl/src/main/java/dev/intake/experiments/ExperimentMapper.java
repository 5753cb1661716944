package dev.intake.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.ExperimentRequest;
import dev.intake.api.model.ExperimentResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Between the wire models and {@link Experiment}. */
final class ExperimentMapper {
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private final ObjectMapper json;

    ExperimentMapper(ObjectMapper json) {
        this.json = json;
    }

    Experiment fromRequest(String workspace, UUID id, ExperimentRequest r, Instant createdAt, Instant updatedAt) {
        return new Experiment(id, workspace, r.getName(), r.getAgentName(), r.getAgentVersion(), r.getDatasetName(),
                r.getDatasetVersion(), r.getExperimentGroupId(), r.getSourceLink(), metadataJson(r.getMetadata()),
                r.getDescription(), r.getSummary(), createdAt, updatedAt);
    }

    ExperimentResponse toResponse(Experiment e) {
        return new ExperimentResponse(e.id().toString(), e.workspace(), e.name(), e.agentName(), e.agentVersion(),
                e.datasetName(), e.datasetVersion(), e.experimentGroupId(), e.sourceLink(), metadata(e.metadataJson()),
                e.description(), e.summary(), e.createdAt().atOffset(ZoneOffset.UTC),
                e.updatedAt().atOffset(ZoneOffset.UTC));
    }

    private String metadataJson(Map<String, Object> metadata) {
        try {
            return json.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not serializable", e);
        }
    }

    private Map<String, Object> metadata(String text) {
        try {
            return text == null || text.isEmpty() ? new LinkedHashMap<>() : json.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored metadata is not a JSON object", e);
        }
    }
}
