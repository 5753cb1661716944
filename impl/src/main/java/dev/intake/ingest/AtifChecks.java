package dev.intake.ingest;

import dev.intake.api.model.AtifObservationResult;
import dev.intake.api.model.AtifStep;
import dev.intake.api.model.AtifStepSource;
import dev.intake.api.model.AtifToolCall;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.web.ApiProblemException.FieldError;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of ATIF that a JSON schema cannot say: steps numbered 1, 2, 3...; agent-only fields only on agent
 * steps; tool-call ids unique within a step; observations referring to a call of their step; well-formed verifier
 * times and rewards. Every violation is reported, each with its JSON path.
 */
final class AtifChecks {
    private AtifChecks() {
    }

    /**
     * @param at JSON path of the trajectory in the request body: {@code $} for a single ingest,
     *           {@code $.trajectories[i]} in a batch
     */
    static List<FieldError> check(AtifTrajectory t, String at) {
        List<FieldError> errors = new ArrayList<>();
        List<AtifStep> steps = t.getSteps() == null ? List.of() : t.getSteps();
        for (int i = 0; i < steps.size(); i++) {
            checkStep(steps.get(i), at + ".steps[" + i + "]", i + 1, errors);
        }
        checkExtra(t.getExtra(), at, errors);
        return errors;
    }

    private static void checkStep(AtifStep step, String at, int expectedId, List<FieldError> errors) {
        if (step == null) {
            errors.add(new FieldError(at, "must be an object"));
            return;
        }
        if (step.getStepId() != null && step.getStepId() != expectedId) {
            errors.add(new FieldError(at + ".step_id", "must be " + expectedId + ": steps are numbered 1, 2, 3, ... in order"));
        }
        if (step.getSource() != null && step.getSource() != AtifStepSource.AGENT) {
            agentOnly(step.getModelName() != null, at + ".model_name", errors);
            agentOnly(step.getReasoningContent() != null, at + ".reasoning_content", errors);
            agentOnly(step.getReasoningEffort() != null, at + ".reasoning_effort", errors);
            agentOnly(step.getToolCalls() != null && !step.getToolCalls().isEmpty(), at + ".tool_calls", errors);
            agentOnly(step.getObservation() != null, at + ".observation", errors);
            agentOnly(step.getMetrics() != null, at + ".metrics", errors);
        }
        Set<String> callIds = new HashSet<>();
        List<AtifToolCall> calls = step.getToolCalls() == null ? List.of() : step.getToolCalls();
        for (int c = 0; c < calls.size(); c++) {
            AtifToolCall call = calls.get(c);
            if (call != null && call.getToolCallId() != null && !callIds.add(call.getToolCallId())) {
                errors.add(new FieldError(at + ".tool_calls[" + c + "].tool_call_id",
                        "duplicate tool_call_id '" + call.getToolCallId() + "' in this step"));
            }
        }
        if (step.getObservation() != null && step.getObservation().getResults() != null) {
            List<AtifObservationResult> results = step.getObservation().getResults();
            for (int r = 0; r < results.size(); r++) {
                AtifObservationResult result = results.get(r);
                if (result != null && result.getSourceCallId() != null && !callIds.contains(result.getSourceCallId())) {
                    errors.add(new FieldError(at + ".observation.results[" + r + "].source_call_id",
                            "refers to '" + result.getSourceCallId() + "', which is not a tool_call_id of this step"));
                }
            }
        }
    }

    private static void agentOnly(boolean present, String at, List<FieldError> errors) {
        if (present) {
            errors.add(new FieldError(at, "only agent steps may carry this field"));
        }
    }

    private static void checkExtra(Map<String, Object> extra, String at, List<FieldError> errors) {
        if (extra == null) {
            return;
        }
        Object verifier = extra.get("verifier");
        if (verifier != null) {
            if (verifier instanceof Map<?, ?> v) {
                checkTime(v.get("started_at"), at + ".extra.verifier.started_at", errors);
                checkTime(v.get("finished_at"), at + ".extra.verifier.finished_at", errors);
            } else {
                errors.add(new FieldError(at + ".extra.verifier", "must be an object"));
            }
        }
        Object result = extra.get("verifier_result");
        if (result == null) {
            return;
        }
        if (!(result instanceof Map<?, ?> r)) {
            errors.add(new FieldError(at + ".extra.verifier_result", "must be an object"));
            return;
        }
        Object rewards = r.get("rewards");
        if (rewards != null) {
            if (rewards instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (!(v instanceof Boolean || v instanceof Number || v instanceof String)) {
                        errors.add(new FieldError(at + ".extra.verifier_result.rewards." + k,
                                "must be a boolean, a number or a string"));
                    }
                });
            } else {
                errors.add(new FieldError(at + ".extra.verifier_result.rewards", "must be an object"));
            }
        }
        Object score = r.get("score");
        if (score != null && !(score instanceof Number)) {
            errors.add(new FieldError(at + ".extra.verifier_result.score", "must be a number"));
        }
    }

    private static void checkTime(Object value, String at, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (!(value instanceof String s)) {
            errors.add(new FieldError(at, "must be an ISO-8601 date-time string"));
            return;
        }
        try {
            OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(at, "must be an ISO-8601 date-time with an offset, such as 2025-01-01T00:00:00Z"));
        }
    }
}
