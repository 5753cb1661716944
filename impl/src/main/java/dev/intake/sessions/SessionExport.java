package dev.intake.sessions;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.SessionMode;
import dev.intake.store.RowReader;
import dev.intake.store.RowStream;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.StoreUnavailableException;
import dev.intake.web.AbortableResponses;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams every session of an experiment that the list would return (its filters, its order, its mode), as NDJSON (each line the list's JSON
 * representation of a row) or RFC 4180 CSV, writing each row as it arrives from the store: memory does not grow with
 * the number of rows. The store is read in one statement, one consistent view (see export.sql).
 */
final class SessionExport {
    static final String SCORE_COLUMN_PREFIX = "score.";
    private static final String EVALUATOR_NAMES = "/*EVALUATOR_NAMES*/";
    private static final Map<String, String> EVALUATOR_NAMES_SQL = Sql.fragments(SessionExport.class, "export-parts.sql");
    /** Bytes gathered before they go to the socket: large enough for few, full chunks; small enough to stream. */
    private static final int BUFFER_BYTES = 64 * 1024;

    /** One exported row, and (on the first row) every evaluator name of the export, sorted. */
    record Exported(SessionRow row, List<String> evaluatorNames) {
    }

    /** The body formats; the resource maps the wire enum onto these. */
    enum Format {
        NDJSON, CSV
    }

    private final Store store;
    private final Duration timeout;
    private final ObjectWriter jsonLines;
    private final ObjectMapper json;
    private final ObjectWriter csvRows;
    private final List<String> scalarColumns;
    private final String scoresProperty;

    /**
     * @param json    the API's JSON mapper: lines and CSV values are written exactly as the list writes them
     * @param timeout longest the export's statement may run
     */
    SessionExport(Store store, ObjectMapper json, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
        this.json = json;
        // no flush per row: rows gather in the buffer and leave in chunks
        this.jsonLines = json.writerFor(ExperimentSessionResponse.class)
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        CsvMapper csv = new CsvMapper();
        csv.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.csvRows = csv.writerFor(String[].class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .with(CsvSchema.emptySchema().withLineSeparator("\r\n"));
        List<String> scalars = new ArrayList<>();
        String scores = null;
        BeanDescription model = json.getSerializationConfig().introspect(json.constructType(ExperimentSessionResponse.class));
        for (BeanPropertyDefinition p : model.findProperties()) {
            if (p.getPrimaryType().isMapLikeType()) {
                scores = p.getName();
            } else {
                scalars.add(p.getName());
            }
        }
        this.scalarColumns = List.copyOf(scalars);
        this.scoresProperty = scores;
    }

    /**
     * Starts the export's statement; rows are then read by {@link #write}. Failing here (store down) is before any
     * byte of the response, so it is still a plain 503.
     */
    RowStream<Exported> open(SessionQuery query, SessionMode mode, Format format) {
        Map<String, String> parts = new LinkedHashMap<>(SessionsQuery.textColumns(mode));
        parts.put(EVALUATOR_NAMES, EVALUATOR_NAMES_SQL.get(format == Format.CSV ? "csv" : "ndjson"));
        Sql sql = query.compose(SessionExport.class, "export.sql", parts);
        return store.stream(sql, query.params(), new ExportedReader(), timeout);
    }

    /**
     * Writes the rows to {@code out} and closes them (which returns the store connection at once, also when the
     * client has gone away). The first row is flushed at once (time to first byte); the rest leaves in chunks of
     * about {@value #BUFFER_BYTES} bytes. A failure before the first byte propagates as it is (the caller still
     * answers a problem document); a failure after it aborts the response, so a truncated export never looks
     * complete.
     */
    void write(RowStream<Exported> rows, Format format, String workspace, String experiment, OutputStream out)
            throws IOException {
        boolean started = false;
        try (rows) {
            Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_BYTES);
            RowSink sink = format == Format.CSV ? new CsvSink(text) : new NdjsonSink(text);
            while (rows.next()) {
                Exported e = rows.row();
                sink.write(e, SessionMapper.toResponse(workspace, experiment, e.row()));
                if (!started) {
                    started = true;
                    sink.flush();
                }
            }
            started = true;
            sink.finish();
        } catch (IOException | RuntimeException e) {
            if (started) {
                AbortableResponses.abortCurrentResponse(e);
            }
            throw e;
        }
    }

    /** The CSV columns for these evaluator names: the scalar properties in spec order, then one per score. */
    List<String> csvHeader(List<String> evaluatorNames) {
        List<String> header = new ArrayList<>(scalarColumns);
        evaluatorNames.forEach(name -> header.add(SCORE_COLUMN_PREFIX + name));
        return header;
    }

    /** Writes rows of one format. */
    private interface RowSink {
        void write(Exported exported, ExperimentSessionResponse row) throws IOException;

        void flush() throws IOException;

        /** After the last row: what an empty export still holds, then everything buffered. */
        void finish() throws IOException;
    }

    private final class NdjsonSink implements RowSink {
        private final JsonGenerator lines;

        NdjsonSink(Writer text) throws IOException {
            this.lines = json.getFactory().createGenerator(text);
            lines.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // one object per line: the newline is written after each row, not before the next
            lines.setRootValueSeparator(new SerializedString(""));
        }

        @Override
        public void write(Exported exported, ExperimentSessionResponse row) throws IOException {
            jsonLines.writeValue(lines, row);
            lines.writeRaw('\n');
        }

        @Override
        public void flush() throws IOException {
            lines.flush();
        }

        @Override
        public void finish() throws IOException {
            lines.flush();
        }
    }

    private final class CsvSink implements RowSink {
        private final Writer text;
        private SequenceWriter rows;
        private List<String> scoreNames;

        CsvSink(Writer text) {
            this.text = text;
        }

        @Override
        public void write(Exported exported, ExperimentSessionResponse row) throws IOException {
            if (rows == null) {
                start(exported.evaluatorNames());
            }
            ObjectNode tree = json.valueToTree(row);
            String[] values = new String[scalarColumns.size() + scoreNames.size()];
            int i = 0;
            for (String column : scalarColumns) {
                values[i++] = text(tree.get(column));
            }
            JsonNode scores = tree.get(scoresProperty);
            for (String name : scoreNames) {
                values[i++] = text(scores.get(name));
            }
            if (!scoreNames.containsAll(exported.row().evaluatorScores().keySet())) {
                // the header came from the same statement; only an insert landing between its two reads can cause
                // this, and a missing column must fail the export (retry it) rather than drop a score silently
                throw new StoreUnavailableException("The experiment changed during the export: a row has an evaluator"
                        + " the CSV header lacks (" + exported.row().evaluatorScores().keySet() + " not in "
                        + scoreNames + ")");
            }
            rows.write(values);
        }

        @Override
        public void flush() throws IOException {
            rows.flush();
        }

        @Override
        public void finish() throws IOException {
            if (rows == null) {
                start(List.of());
            }
            rows.close(); // the target stays open (AUTO_CLOSE_TARGET off); this flushes the encoder's buffer
            text.flush();
        }

        private void start(List<String> evaluatorNames) throws IOException {
            scoreNames = evaluatorNames;
            rows = csvRows.writeValues(text);
            rows.write(csvHeader(evaluatorNames).toArray(String[]::new));
        }

        /**
         * A JSON value as CSV text: null is an empty field (an empty string, which the CSV writer leaves unquoted; it
         * would drop a Java null from the row); numbers, strings and timestamps as the JSON has them.
         */
        private static String text(JsonNode value) {
            return value == null || value.isNull() ? "" : value.asText();
        }
    }

    /** Reads a row, and the export's evaluator names from the first row only (every row carries the same list). */
    private static final class ExportedReader implements RowReader<Exported> {
        private boolean first = true;

        @Override
        public Exported read(java.sql.ResultSet rs) throws SQLException {
            List<String> names = List.of();
            if (first) {
                first = false;
                Array array = rs.getArray("evaluator_names");
                names = array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
            }
            return new Exported(SessionsQuery.ROW.read(rs), names);
        }
    }
}
