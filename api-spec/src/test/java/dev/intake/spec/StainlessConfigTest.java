package dev.intake.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code api-spec/stainless.yml}, the SDK naming and grouping of the operations, agrees with the spec: every
 * operation is mapped exactly once (to a resource method, or under {@code unspecified_endpoints} when its tag is
 * internal), nothing else is named, models point at schemas, and paginated methods answer the page envelope.
 */
class StainlessConfigTest {
    private static final Path CONFIG = Path.of("stainless.yml");
    private static final Path SPEC = Path.of("src/main/resources/openapi.yaml");

    private static OpenAPI spec;
    private static JsonNode config;
    /** "get /path" of every operation of the spec, to its operation. */
    private static final Map<String, Operation> operations = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        spec = new OpenAPIParser().readLocation(SPEC.toString(), null, options).getOpenAPI();
        spec.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
                operations.put(method.name().toLowerCase(Locale.ROOT) + " " + path, op)));
        config = Yaml.mapper().readTree(CONFIG.toFile());
    }

    @Test
    void everyOperationIsMappedExactlyOnceAndNothingElse() {
        Map<String, List<String>> mapped = new TreeMap<>();
        methods(config.get("resources"), "client", mapped);
        config.get("unspecified_endpoints").forEach(e ->
                mapped.computeIfAbsent(e.asText(), k -> new ArrayList<>()).add("unspecified_endpoints"));

        Set<String> unmapped = new TreeSet<>(operations.keySet());
        unmapped.removeAll(mapped.keySet());
        assertThat(unmapped).as("operations of the spec that api-spec/stainless.yml does not map (add each to a "
                + "resource's methods, e.g. client.experiments.stats)").isEmpty();
        Set<String> unknown = new TreeSet<>(mapped.keySet());
        unknown.removeAll(operations.keySet());
        assertThat(unknown).as("endpoints in stainless.yml that the spec does not have").isEmpty();
        assertThat(mapped.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                .as("endpoints mapped more than once").isEmpty();
    }

    @Test
    void exactlyTheOperationsOfInternalTagsAreLeftOutOfTheSdks() {
        Set<String> internalTags = spec.getTags().stream()
                .filter(t -> t.getExtensions() != null && Boolean.TRUE.equals(t.getExtensions().get("x-internal")))
                .map(Tag::getName).collect(Collectors.toSet());
        Set<String> internal = operations.entrySet().stream()
                .filter(e -> internalTags.containsAll(e.getValue().getTags()))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unspecified = new TreeSet<>();
        config.get("unspecified_endpoints").forEach(e -> unspecified.add(e.asText()));

        assertThat(internal).as("operations of internal tags").isNotEmpty();
        assertThat(unspecified).isEqualTo(internal);
    }

    @Test
    void everyModelPointsAtASchema() {
        Map<String, String> models = new HashMap<>();
        models(config.get("resources"), models);
        Map<String, ?> schemas = spec.getComponents().getSchemas();
        assertThat(models).isNotEmpty();
        models.forEach((name, ref) -> assertThat(schemas)
                .as("model %s -> %s", name, ref).containsKey(ref.substring(ref.lastIndexOf('/') + 1)));
    }

    @Test
    void everyPaginatedMethodAnswersThePageEnvelope() {
        Map<String, List<String>> paginated = new TreeMap<>();
        paginatedMethods(config.get("resources"), paginated);
        assertThat(paginated).isNotEmpty();
        for (String endpoint : paginated.keySet()) {
            Operation op = operations.get(endpoint);
            Schema<?> page = op.getResponses().get("200").getContent().get("application/json").getSchema();
            Schema<?> resolved = spec.getComponents().getSchemas().get(page.get$ref().substring(page.get$ref().lastIndexOf('/') + 1));
            assertThat(resolved.getProperties()).as(endpoint).containsKeys("data", "pagination", "sort", "filter");
            // The session list's SessionPagination adds `next_cursor` to PaginationData's fields.
            String paginationRef = resolved.getProperties().get("pagination").get$ref();
            Schema<?> pagination = spec.getComponents().getSchemas().get(paginationRef.substring(paginationRef.lastIndexOf('/') + 1));
            assertThat(pagination.getProperties()).as(endpoint)
                    .containsKeys("page", "page_size", "current_page_size", "total_pages", "total_results");
            Set<String> params = new TreeSet<>();
            op.getParameters().forEach(p -> params.add(p.getName()));
            assertThat(params).as(endpoint).contains("page", "page_size");
        }
    }

    /** Collects "verb path" of every method under {@code resources}, with the SDK call it becomes. */
    private static void methods(JsonNode resources, String prefix, Map<String, List<String>> into) {
        resources.properties().forEach(resource -> {
            String name = prefix + "." + resource.getKey();
            JsonNode methods = resource.getValue().get("methods");
            if (methods != null) {
                methods.properties().forEach(m -> into.computeIfAbsent(endpoint(m.getValue()), k -> new ArrayList<>())
                        .add(name + "." + m.getKey()));
            }
            JsonNode sub = resource.getValue().get("subresources");
            if (sub != null) {
                methods(sub, name, into);
            }
        });
    }

    private static void paginatedMethods(JsonNode resources, Map<String, List<String>> into) {
        resources.properties().forEach(resource -> {
            JsonNode methods = resource.getValue().get("methods");
            if (methods != null) {
                methods.properties().forEach(m -> {
                    if (m.getValue().has("paginated")) {
                        into.computeIfAbsent(endpoint(m.getValue()), k -> new ArrayList<>()).add(m.getKey());
                    }
                });
            }
            JsonNode sub = resource.getValue().get("subresources");
            if (sub != null) {
                paginatedMethods(sub, into);
            }
        });
    }

    private static void models(JsonNode resources, Map<String, String> into) {
        resources.properties().forEach(resource -> {
            JsonNode models = resource.getValue().get("models");
            if (models != null) {
                models.properties().forEach(m -> into.put(m.getKey(), m.getValue().asText()));
            }
            JsonNode sub = resource.getValue().get("subresources");
            if (sub != null) {
                models(sub, into);
            }
        });
    }

    private static String endpoint(JsonNode method) {
        return (method.isTextual() ? method : method.get("endpoint")).asText();
    }
}
