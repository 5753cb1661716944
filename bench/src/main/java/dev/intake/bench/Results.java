package dev.intake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON files each step leaves in the results folder, read back by the report. */
public final class Results {
    private Results() {
    }

    public static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Api.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's JSON, or a missing node when the step has not run. */
    public static JsonNode read(Path file) {
        try {
            return Files.exists(file) ? Api.JSON.readTree(file.toFile()) : Api.JSON.missingNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
