package dev.intake.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * The spec stays backward compatible with the last release, {@code baseline/openapi.yaml}. A breaking change fails
 * with openapi-diff's report; accepting a change means copying the spec over the baseline (docs/release.md). With
 * {@code -Dspec.failOnChanged=true} any difference fails, which a release build uses to prove the baseline is current.
 */
class BaselineCompatibilityTest {

    private static final Path BASELINE = Path.of("baseline", "openapi.yaml");
    private static final Path CURRENT = Path.of("src", "main", "resources", "openapi.yaml");

    private static String baseline;
    private static String current;
    private static ChangedOpenApi diff;

    @BeforeAll
    static void compareWithBaseline() throws IOException {
        baseline = Files.readString(BASELINE);
        current = Files.readString(CURRENT);
        diff = OpenApiCompare.fromContents(baseline, current);
    }

    @Test
    void specIsBackwardCompatibleWithTheBaseline() {
        assertThat(diff.isIncompatible())
                .as("%s breaks clients of the last release (%s):%n%s", CURRENT, BASELINE, report())
                .isFalse();
    }

    /**
     * openapi-diff 2.1.7 calls every change of {@code nullable} compatible (java-stack.md G19). A response property
     * that may become null, or a request property that may no longer be null, breaks clients all the same.
     */
    @Test
    void noPropertyChangesNullabilityInTheBreakingDirection() {
        OpenAPI before = parse(baseline);
        OpenAPI after = parse(current);
        Set<String> inResponses = ReachableSchemas.fromResponses(after);
        Set<String> inRequests = ReachableSchemas.fromRequests(after);
        List<String> breaks = new ArrayList<>();
        after.getComponents().getSchemas().forEach((name, schema) -> {
            Schema<?> old = before.getComponents().getSchemas().get(name);
            if (old != null && old.getProperties() != null && schema.getProperties() != null) {
                old.getProperties().forEach((property, was) -> {
                    String where = name + "." + property;
                    Boolean wasNullable = was.getNullable();
                    Boolean isNullable = nullable(schema, property);
                    if (isNullable == null) {
                        return;
                    }
                    if (!Boolean.TRUE.equals(wasNullable) && isNullable && inResponses.contains(name)) {
                        breaks.add(where + " became nullable, and " + name + " is in a response");
                    }
                    if (Boolean.TRUE.equals(wasNullable) && !isNullable && inRequests.contains(name)) {
                        breaks.add(where + " is no longer nullable, and " + name + " is in a request");
                    }
                });
            }
        });
        assertThat(breaks).as("%s breaks clients of the last release (%s)", CURRENT, BASELINE).isEmpty();
    }

    /** A no-op unless -Dspec.failOnChanged=true (a skipped test would be a surefire warning on every build). */
    @Test
    void specEqualsTheBaselineWhenFailOnChangedIsSet() {
        if (Boolean.getBoolean("spec.failOnChanged")) {
            assertThat(diff.isUnchanged())
                    .as("%s differs from %s and spec.failOnChanged is set:%n%s", CURRENT, BASELINE, report())
                    .isTrue();
        }
    }

    /** Whether the property is nullable now; null when the schema no longer has it (openapi-diff reports that). */
    private static Boolean nullable(Schema<?> schema, String property) {
        Schema<?> now = schema.getProperties().get(property);
        return now == null ? null : Boolean.TRUE.equals(now.getNullable());
    }

    private static OpenAPI parse(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIParser().readContents(yaml, null, options).getOpenAPI();
    }

    private static String report() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStreamWriter writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            new MarkdownRender().render(diff, writer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
