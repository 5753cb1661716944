package dev.intake.ingest;

import dev.intake.api.model.AtifObservationResult;
import dev.intake.api.model.AtifStep;
import dev.intake.api.model.AtifStepMetrics;
import dev.intake.api.model.AtifStepSource;
import dev.intake.api.model.AtifToolCall;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.web.ApiProblemException.FieldError;
import dev.intake.web.Rfc3339;
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
    /** 2^53 - 1: the largest whole number a Float64 sum keeps exactly; the spec's `maximum` of token counts. */
    static final long MAX_EXACT = 9_007_199_254_740_991L;
    /** The spec's `maximum` of costs in USD: MAX_EXACT micro-USD. */
    static final double MAX_COST_USD = 9_007_199_254.740991;
    private static final String FINITE = "must be a finite number";

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
        checkSums(steps, at, errors);
        checkExtra(t.getExtra(), at, errors);
        return errors;
    }

    /**
     * Token counts and micro-USD costs are summed per session in Float64 and returned as Int64: exact only while
     * every sum stays within 2^53 - 1. The spec bounds each value; this bounds their sums over the steps (a step's
     * prompt plus completion tokens is stored as its total, so that sum too). Reported at the step that passes the
     * bound.
     */
    private static void checkSums(List<AtifStep> steps, String at, List<FieldError> errors) {
        long[] sums = new long[4];
        String[] names = {"prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd"};
        boolean[] reported = new boolean[4];
        for (int i = 0; i < steps.size(); i++) {
            AtifStepMetrics m = steps.get(i) == null ? null : steps.get(i).getMetrics();
            if (m == null) {
                continue;
            }
            long[] values = {withinBounds(m.getPromptTokens()), withinBounds(m.getCompletionTokens()),
                    withinBounds(m.getCachedTokens()), m.getCostUsd() == null || !(m.getCostUsd() >= 0)
                            || m.getCostUsd() > MAX_COST_USD ? 0 : (long) AtifMapper.microUsd(m.getCostUsd())};
            String metrics = at + ".steps[" + i + "].metrics";
            if (values[0] + values[1] > MAX_EXACT) {
                errors.add(new FieldError(metrics, "prompt_tokens + completion_tokens must not exceed " + MAX_EXACT
                        + ", the largest total the store keeps exactly"));
            }
            for (int k = 0; k < 4; k++) {
                sums[k] += values[k];
                if (sums[k] > MAX_EXACT && !reported[k]) {
                    reported[k] = true;
                    errors.add(new FieldError(metrics + "." + names[k], "the trajectory's sum of " + names[k]
                            + (k == 3 ? " in micro-USD" : "") + " must not exceed " + MAX_EXACT
                            + ", the largest sum the store keeps exactly"));
                }
            }
        }
    }

    /** A value within the spec's bounds, or 0 when it is absent or out of them (the schema check reports that). */
    private static long withinBounds(Long value) {
        return value == null || value < 0 || value > MAX_EXACT ? 0 : value;
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
                    } else if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
                        errors.add(new FieldError(at + ".extra.verifier_result.rewards." + k, FINITE));
                    }
                });
            } else {
                errors.add(new FieldError(at + ".extra.verifier_result.rewards", "must be an object"));
            }
        }
        Object score = r.get("score");
        if (score != null && !(score instanceof Number)) {
            errors.add(new FieldError(at + ".extra.verifier_result.score", "must be a number"));
        } else if (score instanceof Number n && !Double.isFinite(n.doubleValue())) {
            errors.add(new FieldError(at + ".extra.verifier_result.score", FINITE));
        }
    }

    private static void checkTime(Object value, String at, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (!(value instanceof String s)) {
            errors.add(new FieldError(at, "must be a string: " + Rfc3339.EXPECTED));
            return;
        }
        if (Rfc3339.parse(s).isEmpty()) {
            errors.add(new FieldError(at, Rfc3339.EXPECTED));
        }
    }
}
