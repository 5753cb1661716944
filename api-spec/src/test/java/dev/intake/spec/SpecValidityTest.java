package dev.intake.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spec as shipped (the api-spec jar's /openapi.yaml) parses without a message, is OpenAPI 3.0.3, and keeps the
 * structural invariants that code generation, the compatibility gate and the error contract rely on.
 */
class SpecValidityTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Set<String> PUBLIC_OPERATIONS = Set.of("getLiveness", "getReadiness", "getOpenApiDocument",
            "getIndexPage", "getDocsPage", "getMetrics");

    private static SwaggerParseResult parsed;
    private static OpenAPI spec;

    @BeforeAll
    static void parseShippedSpec() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        parsed = new OpenAPIParser().readContents(shippedSpec(), null, options);
        spec = parsed.getOpenAPI();
    }

    @Test
    void parsesWithoutAnyMessage() {
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(spec).isNotNull();
    }

    @Test
    void isOpenApi303() {
        assertThat(spec.getOpenapi()).isEqualTo("3.0.3");
    }

    @Test
    void everyOperationHasAUniqueOperationId() {
        List<String> ids = operations().map(op -> op.operation().getOperationId()).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void everyOperationHasExactlyOneDeclaredTag() {
        Set<String> declared = spec.getTags().stream().map(Tag::getName).collect(Collectors.toSet());
        assertThat(violations(op -> op.operation().getTags() == null || op.operation().getTags().size() != 1
                || !declared.contains(op.operation().getTags().get(0)))).isEmpty();
    }

    @Test
    void onlyTheProbesAndTheSpecDocumentArePublic() {
        Set<String> unsecured = operations().filter(op -> !op.secured())
                .map(op -> op.operation().getOperationId()).collect(Collectors.toSet());
        assertThat(unsecured).isEqualTo(PUBLIC_OPERATIONS);
    }

    @Test
    void everySecuredOperationDeclares401And403AndItsPermission() {
        assertThat(violations(op -> op.secured() && !(op.declares("401") && op.declares("403")
                && op.operation().getExtensions() != null
                && op.operation().getExtensions().containsKey("x-permission")
                && op.operation().getExtensions().containsKey("x-accepted-scopes")))).isEmpty();
    }

    @Test
    void everySecuredOperationDeclares503ForStoreFailures() {
        assertThat(violations(op -> op.secured() && !op.declares("503"))).isEmpty();
    }

    @Test
    void everyOperationWithInputDeclares400Or422() {
        assertThat(violations(op -> op.hasInput() && !op.declares("400") && !op.declares("422"))).isEmpty();
    }

    @Test
    void everyOperationWithABodyDeclares413And422() {
        assertThat(violations(op -> op.operation().getRequestBody() != null
                && !(op.declares("413") && op.declares("422")))).isEmpty();
    }

    @Test
    void everyOperationWithABodyDeclares415() {
        assertThat(violations(op -> op.operation().getRequestBody() != null && !op.declares("415"))).isEmpty();
    }

    /** The server sends X-Request-Id on every answer and Retry-After on every 503; the spec says so. */
    @Test
    void everyResponseDeclaresXRequestIdAndEvery503RetryAfter() {
        List<String> bad = new ArrayList<>();
        operations().forEach(op -> op.operation().getResponses().forEach((code, response) -> {
            Map<String, Header> headers = ReachableSchemas.resolve(spec, response).getHeaders();
            if (headers == null || !headers.containsKey("X-Request-Id")) {
                bad.add(op.name() + " " + code + " lacks X-Request-Id");
            }
            if (code.equals("503") && (headers == null || !headers.containsKey("Retry-After"))) {
                bad.add(op.name() + " " + code + " lacks Retry-After");
            }
        }));
        assertThat(bad).isEmpty();
    }

    @Test
    void everyOperationDeclaresExactlyOneSuccessStatus() {
        assertThat(violations(op -> op.operation().getResponses().keySet().stream()
                .filter(code -> code.startsWith("2")).count() != 1)).isEmpty();
    }

    @Test
    void everyErrorOfASecuredOperationIsAProblemDocument() {
        List<String> bad = new ArrayList<>();
        operations().filter(Op::secured).forEach(op -> op.operation().getResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                Map<String, MediaType> content = ReachableSchemas.resolve(spec, response).getContent();
                if (content == null || content.size() != 1 || !content.containsKey(PROBLEM_JSON)
                        || !PROBLEM_REF.equals(content.get(PROBLEM_JSON).getSchema().get$ref())) {
                    bad.add(op.name() + " " + code);
                }
            }
        }));
        assertThat(bad).isEmpty();
    }

    /**
     * Every property of a response object is always present: all properties required, nothing undeclared (except
     * that {@code Problem} may carry RFC 9457 extension members, which clients must ignore). This
     * also keeps the compatibility gate sharp, since openapi-diff 2.1.7 calls the removal of an optional response
     * property compatible (java-stack.md G19).
     */
    @Test
    void everyResponseObjectRequiresAllItsPropertiesAndAllowsNoOthers() {
        Set<String> responseSchemas = ReachableSchemas.fromResponses(spec);
        assertThat(responseSchemas).contains("ExperimentResponse", "ExperimentSessionResponse", "Problem");

        List<String> bad = new ArrayList<>();
        for (String name : responseSchemas) {
            Schema<?> schema = spec.getComponents().getSchemas().get(name);
            if (schema.getProperties() == null) {
                continue;
            }
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            // the problem document is open by definition (RFC 9457 extension members); its members stay required
            boolean mayBeOpen = name.equals("Problem") && schema.getAdditionalProperties() == null;
            if (!new HashSet<>(required).equals(schema.getProperties().keySet())
                    || !(mayBeOpen || Boolean.FALSE.equals(schema.getAdditionalProperties()))) {
                bad.add(name);
            }
        }
        assertThat(bad).as("response schemas with an optional or undeclared property").isEmpty();
    }

    /**
     * Every request body and every answer with a body shows an example (SDK docs and fuzzers use them); the Redocly
     * lint checks each example against its schema.
     */
    @Test
    void everyRequestBodyAndResponseHasAnExample() {
        List<String> missing = new ArrayList<>();
        operations().forEach(op -> {
            if (op.operation().getRequestBody() != null) {
                op.operation().getRequestBody().getContent().forEach((type, media) -> {
                    if (!hasExample(media)) {
                        missing.add(op.name() + " request " + type);
                    }
                });
            }
            op.operation().getResponses().forEach((status, declared) -> {
                ApiResponse response = declared.get$ref() == null ? declared : spec.getComponents().getResponses()
                        .get(declared.get$ref().substring(declared.get$ref().lastIndexOf('/') + 1));
                if (response.getContent() != null) {
                    response.getContent().forEach((type, media) -> {
                        if (!hasExample(media)) {
                            missing.add(op.name() + " " + status + " " + type);
                        }
                    });
                }
            });
        });
        assertThat(missing).as("bodies without an example").isEmpty();
    }

    private static boolean hasExample(MediaType media) {
        return media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty());
    }

    private static List<String> violations(Predicate<Op> violates) {
        return operations().filter(violates).map(Op::name).toList();
    }

    private static Stream<Op> operations() {
        return spec.getPaths().entrySet().stream().flatMap(path -> path.getValue().readOperationsMap().entrySet()
                .stream().map(op -> new Op(path.getKey(), op.getKey(), path.getValue(), op.getValue())));
    }

    private static String shippedSpec() throws IOException {
        try (InputStream in = SpecValidityTest.class.getResourceAsStream("/openapi.yaml")) {
            return new String(Objects.requireNonNull(in, "/openapi.yaml on the classpath").readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }

    private record Op(String path, PathItem.HttpMethod method, PathItem item, Operation operation) {

        String name() {
            return method + " " + path;
        }

        boolean declares(String status) {
            return operation.getResponses().containsKey(status);
        }

        boolean hasInput() {
            return operation.getRequestBody() != null || !nullToEmpty(item.getParameters()).isEmpty()
                    || !nullToEmpty(operation.getParameters()).isEmpty();
        }

        boolean secured() {
            List<SecurityRequirement> security = operation.getSecurity() != null ? operation.getSecurity()
                    : spec.getSecurity();
            return security != null && security.stream().anyMatch(requirement -> !requirement.isEmpty());
        }

        private static List<Parameter> nullToEmpty(List<Parameter> parameters) {
            return parameters == null ? List.of() : parameters;
        }
    }
}
