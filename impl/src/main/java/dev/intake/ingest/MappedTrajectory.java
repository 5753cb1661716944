package dev.intake.ingest;

import java.util.List;

/** A trajectory turned into rows, with the name of the experiment it belongs to (null without an experiment context). */
record MappedTrajectory(String sessionId, String rootSpanId, String experimentName, String testCaseId,
                        List<SpanRow> spans, List<ResultRow> results) {
}
