package dev.intake.sessions;

import dev.intake.api.model.SpanStatus;

/** The list's filters; null means "no filter". */
record SessionFilter(SpanStatus status, String testCaseId) {
}
