package dev.intake.ingest;

import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.AtifTrajectoryBatch;
import dev.intake.web.ApiProblemException.FieldError;
import dev.intake.web.BodyRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of the two ingest request bodies, checked with their schema so one 422 lists every problem: each
 * trajectory's ATIF rules ({@link AtifChecks}), and across a batch, a session id appears once.
 */
final class IngestBodyRules {
    private IngestBodyRules() {
    }

    /** The rules by request body type, for {@code BodyValidation}. */
    static Map<Class<?>, BodyRules> byBodyType() {
        return Map.of(
                AtifTrajectory.class, body -> AtifChecks.check((AtifTrajectory) body, "$"),
                AtifTrajectoryBatch.class, body -> batch((AtifTrajectoryBatch) body));
    }

    /** Each trajectory's rules, plus: a session id appears once per batch. */
    static List<FieldError> batch(AtifTrajectoryBatch batch) {
        List<FieldError> errors = new ArrayList<>();
        List<AtifTrajectory> trajectories = batch.getTrajectories() == null ? List.of() : batch.getTrajectories();
        Map<String, Integer> firstBySession = new HashMap<>();
        for (int i = 0; i < trajectories.size(); i++) {
            AtifTrajectory t = trajectories.get(i);
            if (t == null) {
                continue;
            }
            String at = "$.trajectories[" + i + "]";
            errors.addAll(AtifChecks.check(t, at));
            Integer first = t.getSessionId() == null ? null : firstBySession.putIfAbsent(t.getSessionId(), i);
            if (first != null) {
                errors.add(new FieldError(at + ".session_id",
                        "session '" + t.getSessionId() + "' is already in this batch at $.trajectories[" + first + "]"));
            }
        }
        return errors;
    }
}
