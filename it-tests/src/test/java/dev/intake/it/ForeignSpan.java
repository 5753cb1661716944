package dev.intake.it;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A span written straight into ClickHouse by another producer (source format {@code otlp}), never through our
 * ingest: extra roots, traces and metrics of a session that only the span-level definition knows about.
 */
final class ForeignSpan {
    private final String workspace;
    private final String session;
    private final String trace;
    private final String spanId;
    private String parent = "";
    private String kind = "AGENT";
    private String status = "success";
    private Instant start = Instant.now();
    private Instant end;
    private final Map<String, String> strings = new LinkedHashMap<>();
    private final Map<String, Double> numbers = new LinkedHashMap<>();
    private String input = "";

    private ForeignSpan(String workspace, String session, String trace, String spanId) {
        this.workspace = workspace;
        this.session = session;
        this.trace = trace;
        this.spanId = spanId;
    }

    /** A root span of experiment {@code experiment} in a trace of its own. */
    static ForeignSpan root(String workspace, String session, String trace, String spanId, String experiment) {
        ForeignSpan s = new ForeignSpan(workspace, session, trace, spanId);
        s.strings.put("experiment.id", experiment);
        return s;
    }

    /** An LLM span under {@code parent}. */
    static ForeignSpan llm(String workspace, String session, String trace, String spanId, String parent) {
        ForeignSpan s = new ForeignSpan(workspace, session, trace, spanId);
        s.parent = parent;
        s.kind = "LLM";
        return s;
    }

    ForeignSpan status(String value) {
        status = value;
        return this;
    }

    ForeignSpan at(Instant startTime, Instant endTime) {
        start = startTime;
        end = endTime;
        return this;
    }

    ForeignSpan testCase(String value) {
        strings.put("test_case.id", value);
        return this;
    }

    ForeignSpan number(String key, double value) {
        numbers.put(key, value);
        return this;
    }

    ForeignSpan input(String value) {
        input = value;
        return this;
    }

    void insertInto(Db db) {
        db.execute("INSERT INTO spans (workspace, session_id, trace_id, span_id, parent_span_id, source_format, kind, name,"
                + " status, start_time, end_time, attributes_string, attributes_number, attributes_bool, input, output,"
                + " event_ts) VALUES (?, ?, ?, ?, ?, 'otlp', ?, 'foreign', ?, ?, ?, ?, ?, map(), ?, '', now64(6))",
                workspace, session, trace, spanId, parent, kind, status, utc(start), end == null ? null : utc(end),
                strings, numbers, input);
    }

    private static String utc(Instant i) {
        return i.toString().replace("T", " ").replace("Z", "");
    }
}
