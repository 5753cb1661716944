package dev.intake.spec;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The named schemas (components/schemas) a spec uses in its responses, and those it uses in its requests. */
final class ReachableSchemas {

    private ReachableSchemas() {
    }

    static Set<String> fromResponses(OpenAPI spec) {
        Set<String> names = new TreeSet<>();
        operations(spec).flatMap(op -> op.getResponses().values().stream())
                .map(response -> resolve(response, response.get$ref(), spec.getComponents().getResponses()))
                .forEach(response -> collect(spec, response.getContent(), names));
        return names;
    }

    static Set<String> fromRequests(OpenAPI spec) {
        Set<String> names = new TreeSet<>();
        spec.getPaths().values().forEach(item -> collectParameters(spec, item.getParameters(), names));
        operations(spec).forEach(op -> {
            collectParameters(spec, op.getParameters(), names);
            RequestBody body = op.getRequestBody();
            if (body != null) {
                collect(spec, resolve(body, body.get$ref(), spec.getComponents().getRequestBodies()).getContent(),
                        names);
            }
        });
        return names;
    }

    static ApiResponse resolve(OpenAPI spec, ApiResponse response) {
        return resolve(response, response.get$ref(), spec.getComponents().getResponses());
    }

    private static Stream<Operation> operations(OpenAPI spec) {
        return spec.getPaths().values().stream().flatMap(item -> item.readOperations().stream());
    }

    private static void collectParameters(OpenAPI spec, List<Parameter> parameters, Set<String> names) {
        if (parameters != null) {
            parameters.stream()
                    .map(parameter -> resolve(parameter, parameter.get$ref(), spec.getComponents().getParameters()))
                    .forEach(parameter -> collect(spec, parameter.getSchema(), names));
        }
    }

    private static void collect(OpenAPI spec, Content content, Set<String> names) {
        if (content != null) {
            content.values().forEach(media -> collect(spec, media.getSchema(), names));
        }
    }

    private static void collect(OpenAPI spec, Schema<?> schema, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = simpleName(schema.get$ref());
            if (names.add(name)) {
                collect(spec, spec.getComponents().getSchemas().get(name), names);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> collect(spec, property, names));
        }
        collect(spec, schema.getItems(), names);
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            collect(spec, values, names);
        }
    }

    private static <T> T resolve(T node, String ref, Map<String, T> components) {
        return ref == null ? node : Objects.requireNonNull(components.get(simpleName(ref)), ref);
    }

    private static String simpleName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
