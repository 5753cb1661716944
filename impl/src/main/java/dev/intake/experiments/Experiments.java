package dev.intake.experiments;

import java.util.Optional;

/** Looks up live experiments by name; what ingest and the session list need from this feature. */
@FunctionalInterface
public interface Experiments {
    Optional<Experiment> find(String workspace, String name);
}
