package dev.intake.store;

import java.util.concurrent.atomic.AtomicReference;

/** Whether migrations have been applied, and if not, why; read on every request, written by the schema keeper. */
public final class SchemaState {
    private final AtomicReference<String> problem = new AtomicReference<>("migrations not applied yet");

    public boolean isApplied() {
        return problem.get() == null;
    }

    public String describe() {
        String p = problem.get();
        return p == null ? "schema applied" : p;
    }

    void markApplied() {
        problem.set(null);
    }

    void markProblem(String why) {
        problem.set(why);
    }
}
