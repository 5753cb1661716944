package dev.intake.ingest;

import java.util.List;

/** What ingest needs from the session list: refresh these sessions' rows, once all their spans are written. */
@FunctionalInterface
public interface SessionRows {
    void refresh(String workspace, List<String> sessionIds);
}
