package dev.intake.web;

/**
 * Told, for every request that could be answered from the answers an instance keeps (see {@link ConditionalGets}),
 * whether it was: so the metrics can show how often repeated reads are served from memory.
 */
public interface AnswerObserver {
    /** What the kept answers held for a request. */
    enum Outcome {
        /** An answer of the store's current version: served without running the operation. */
        SERVED("served"),
        /** An answer of an older version: the store changed since, so the operation ran. */
        STALE("stale"),
        /** No answer kept for this request: the operation ran. */
        MISSING("missing");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Observes nothing. */
    AnswerObserver NONE = (operationId, outcome) -> {
    };

    void looked(String operationId, Outcome outcome);
}
