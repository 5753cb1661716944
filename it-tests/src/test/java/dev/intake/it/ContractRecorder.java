package dev.intake.it;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.intake.web.MatchedOperation;
import dev.intake.web.SpecIndex;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks every response the server sends during the tests against the OpenAPI document (status, content type,
 * body: missing keys, undeclared properties, nulls in non-nullable fields, wrong types), whichever client sent the
 * request, and records which operation answered which status for the coverage check.
 */
@Priority(0) // response filters run in descending priority: this one last, so it sees the final status
final class ContractRecorder implements ContainerResponseFilter, WriterInterceptor {
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(readSpec()).build();
    /** NDJSON bodies are checked line by line against the schema their media type declares (the validator skips them). */
    private static final String NDJSON = "application/x-ndjson";
    private static final OpenAPI MODEL = new OpenAPIV3Parser().readContents(readSpec(), null, resolveOptions()).getOpenAPI();
    private static final SchemaValidator LINES = new SchemaValidator(MODEL, new MessageResolver());
    private static final SpecIndex SPEC = SpecIndex.load();
    private static final List<String> VIOLATIONS = new ArrayList<>();
    private static final Set<String> NO_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");
    private static final String STATUS = "contract.status";
    private static final String TYPE = "contract.type";
    private static final String WWW_AUTHENTICATE = "contract.wwwAuthenticate";
    private static final String OPERATION = "contract.operation";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        record(request, response.getStatus());
        if (response.hasEntity()) {
            request.setProperty(STATUS, response.getStatus());
            request.setProperty(TYPE, response.getMediaType() == null ? null : response.getMediaType().toString());
            request.setProperty(WWW_AUTHENTICATE, response.getHeaderString("WWW-Authenticate"));
        } else {
            validate(request.getMethod(), "/" + request.getUriInfo().getPath(), response.getStatus(), null, null,
                    response.getHeaderString("WWW-Authenticate"));
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream original = context.getOutputStream();
        context.setOutputStream(new FilterOutputStream(original) {
            @Override
            public void write(int b) throws IOException {
                copy.write(b);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                copy.write(b, off, len);
                out.write(b, off, len);
            }
        });
        context.proceed();
        Object status = context.getProperty(STATUS);
        Object method = context.getProperty("contract.method");
        if (status != null && method != null) {
            String type = (String) context.getProperty(TYPE);
            String body = copy.toString(StandardCharsets.UTF_8);
            boolean ndjson = type != null && type.startsWith(NDJSON);
            // an NDJSON body of no lines is valid; the validator would call it missing (its lines are checked below)
            validate((String) method, (String) context.getProperty("contract.path"), (Integer) status, type,
                    ndjson && body.isEmpty() ? "\n" : body, (String) context.getProperty(WWW_AUTHENTICATE));
            if (ndjson) {
                validateLines((String) method + " " + context.getProperty("contract.path"),
                        (String) context.getProperty(OPERATION), (Integer) status, body);
            }
        }
    }

    /** Every line of an NDJSON body is one JSON value valid against the schema of the operation's NDJSON content. */
    private static void validateLines(String request, String operationId, int status, String body) {
        Schema<?> schema = MODEL.getPaths().values().stream()
                .flatMap(item -> item.readOperations().stream())
                .filter(op -> op.getOperationId().equals(operationId))
                .map(op -> op.getResponses().get(Integer.toString(status)).getContent().get(NDJSON).getSchema())
                .findFirst().orElseThrow();
        if (!body.isEmpty() && !body.endsWith("\n")) {
            addViolation(request + " -> " + status + ": the NDJSON body does not end with a newline");
        }
        String[] lines = body.isEmpty() ? new String[0] : body.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            ValidationReport report = LINES.validate(lines[i], schema, "response.body");
            if (report.hasErrors()) {
                addViolation(request + " -> " + status + " line " + (i + 1) + ": " + report.getMessages()
                        + "\n  line: " + lines[i]);
            }
        }
    }

    private static void addViolation(String violation) {
        synchronized (VIOLATIONS) {
            VIOLATIONS.add(violation);
        }
    }

    private static ParseOptions resolveOptions() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return options;
    }

    private void record(ContainerRequestContext request, int status) {
        request.setProperty("contract.method", request.getMethod());
        request.setProperty("contract.path", "/" + request.getUriInfo().getPath());
        MatchedOperation.of(request, SPEC).ifPresent(op -> {
            request.setProperty(OPERATION, op.operationId());
            ContractCoverage.record(op.operationId(), status);
        });
    }

    private static void validate(String method, String path, int status, String type, String body, String wwwAuth) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (type != null) {
            response.withContentType(type);
        }
        if (body != null) {
            response.withBody(body);
        }
        if (wwwAuth != null) {
            response.withHeader("WWW-Authenticate", wwwAuth);
        }
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
        if (report.getMessages().stream().anyMatch(m -> NO_OPERATION.contains(m.getKey()))) {
            // No operation of the spec describes this request (a method the path does not offer, a path with
            // matrix parameters): the spec's conventions still promise an error as a problem document.
            report = status >= 400 && type != null && type.startsWith("application/problem+json") && body != null
                    && body.contains("\"request_id\"") ? ValidationReport.empty()
                    : ValidationReport.singleton(ValidationReport.Message.create("no.operation",
                    "a request no operation describes must get an error answered as a problem document").build());
        }
        if (report.hasErrors()) {
            addViolation(method + " " + path + " -> " + status + ": " + report.getMessages() + "\n  body: " + body);
        }
    }

    /**
     * Checks and counts an answer Jetty gave before the request reached the application, which this filter never
     * sees (a request line or header fields over Jetty's limit): validated against the operation the request was
     * sent to, like any other answer of that operation.
     */
    static void recordAnswerBeforeTheApplication(String operationId, String method, String path, int status,
                                                 String type, String body) {
        checkAnswer(method, path, status, type, body);
        ContractCoverage.record(operationId, status);
    }

    /** Checks an answer that no request produced here (an example of the spec) like any answer of the server. */
    static void checkAnswer(String method, String path, int status, String type, String body) {
        validate(method, path, status, type, body, null);
    }

    /** Violations seen so far; a test compares the count before and after itself. */
    static List<String> violations() {
        synchronized (VIOLATIONS) {
            return List.copyOf(VIOLATIONS);
        }
    }

    private static String readSpec() {
        try {
            return forTheValidator(Files.readString(
                    Path.of(System.getProperty("spec.file", "../api-spec/src/main/resources/openapi.yaml"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The spec as the validator must read it. "Null, or a value of a shared enum" is written the way SDK generators
     * and Schemathesis read it, {@code nullable: true} beside {@code allOf: [$ref]}; the validator applies OpenAPI
     * 3.0.3 literally ({@code nullable} adds null to the {@code type} of its own schema only, never to an
     * {@code allOf}), so such a property is handed to it as the enum's type and values plus null: the same values.
     */
    static String forTheValidator(String yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        JsonNode root = mapper.readTree(yaml);
        JsonNode schemas = root.path("components").path("schemas");
        for (JsonNode schema : schemas) {
            for (JsonNode property : schema.path("properties")) {
                JsonNode allOf = property.path("allOf");
                if (!property.path("nullable").asBoolean() || allOf.size() != 1 || !allOf.get(0).has("$ref")) {
                    continue;
                }
                String ref = allOf.get(0).get("$ref").asText();
                JsonNode target = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
                if (target.has("enum")) {
                    ArrayNode values = target.get("enum").deepCopy();
                    values.addNull();
                    ObjectNode inline = (ObjectNode) property;
                    inline.remove("allOf");
                    inline.set("type", target.get("type"));
                    inline.set("enum", values);
                }
            }
        }
        return mapper.writeValueAsString(root);
    }

    /** Appends "operationId status" lines to the coverage file shared by the whole test run. */
    static final class ContractCoverage {
        private ContractCoverage() {
        }

        static {
            try {
                Files.deleteIfExists(file()); // a fresh record per test run
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Path file() {
            return Path.of(System.getProperty("contract.coverage.file", "target/contract-coverage.txt"));
        }

        static synchronized void record(String operationId, int status) {
            try {
                Files.writeString(file(), operationId + " " + status + "\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
