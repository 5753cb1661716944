package dev.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.web.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden JSON fixtures of the response shapes: a response model, written by the API's own mapper, must be exactly
 * the committed {@code src/test/resources/golden/<name>.json} (every property present, nulls written, timestamps
 * with six fractional digits, numbers as numbers). A deliberate change of a shape is recorded by running the tests
 * with {@code GOLDEN_UPDATE=1} and reviewing the fixture's diff.
 */
public final class Golden {
    private static final ObjectMapper JSON = ApiJson.create();
    private static final Path FOLDER = Path.of("src/test/resources/golden");

    private Golden() {
    }

    public static void assertMatches(String name, Object response) {
        try {
            String actual = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response) + "\n";
            Path file = FOLDER.resolve(name + ".json");
            if ("1".equals(System.getenv("GOLDEN_UPDATE"))) {
                Files.createDirectories(FOLDER);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file).as("golden fixture " + file + " (GOLDEN_UPDATE=1 writes it)").exists();
            JsonNode expected = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(JSON.readTree(actual)).as(name).isEqualTo(expected);
            assertThat(actual).as(name + ", byte for byte").isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
