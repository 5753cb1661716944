package dev.intake.ingest;

import dev.intake.experiments.Experiment;
import java.util.List;

/** A trajectory turned into rows, with the experiment it belongs to (null without an experiment context). */
record MappedTrajectory(String sessionId, String rootSpanId, Experiment experiment, String testCaseId,
                        List<SpanRow> spans, List<ResultRow> results) {
}
