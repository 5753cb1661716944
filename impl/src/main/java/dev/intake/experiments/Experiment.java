package dev.intake.experiments;

import java.time.Instant;
import java.util.UUID;

/** A live experiment as stored; {@code metadataJson} is the JSON text of the metadata object. */
record Experiment(UUID id, String workspace, String name, String agentName, String agentVersion,
                        String datasetName, String datasetVersion, String experimentGroupId, String sourceLink,
                        String metadataJson, String description, String summary, Instant createdAt,
                        Instant updatedAt) {
}
