package dev.intake.analysis;

/** What analysis needs from the experiments: whether one exists, to tell "nothing to analyse" from "unknown". */
@FunctionalInterface
public interface KnownExperiments {
    /** Whether a live experiment holds this name; a store failure propagates (a 503, never a guessed 404). */
    boolean exists(String workspace, String name);
}
