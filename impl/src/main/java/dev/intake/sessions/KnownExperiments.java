package dev.intake.sessions;

/** What the session list needs from the experiments: whether one exists, to tell "no sessions" from "unknown". */
@FunctionalInterface
public interface KnownExperiments {
    /** Whether a live experiment holds this name; a store failure propagates (a 503, never a guessed 404). */
    boolean exists(String workspace, String name);
}
