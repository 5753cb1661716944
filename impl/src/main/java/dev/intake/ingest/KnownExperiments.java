package dev.intake.ingest;

/** What ingest needs from the experiments: whether the one a trajectory names exists. */
@FunctionalInterface
public interface KnownExperiments {
    /** Whether a live experiment holds this name; a store failure propagates (a 503, never a guessed 422). */
    boolean exists(String workspace, String name);
}
