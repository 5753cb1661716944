package dev.intake.ingest;

/** Told what each successful ingest wrote, so the metrics can count it without ingest knowing how. */
public interface IngestObserver {
    /** Observes nothing. */
    IngestObserver NONE = (trajectories, spans, evaluatorResults) -> {
    };

    /** One request's trajectories are all stored: how many trajectories, spans and evaluator results. */
    void written(int trajectories, int spans, int evaluatorResults);
}
