package dev.intake.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the OpenAPI document says about each operation that the server must enforce at run time: its declared
 * query parameters (anything else is a 400) and its security (permission and accepted scopes). Read from the very
 * file the server serves, so the code cannot disagree with the spec.
 */
public final class SpecIndex {
    /**
     * One operation of the spec.
     *
     * @param queryParameters           every query parameter it declares
     * @param repeatableQueryParameters those of array type, which a client may repeat ({@code a=1&a=2})
     */
    public record Operation(String operationId, String method, String path, Set<String> queryParameters,
                            Set<String> repeatableQueryParameters, boolean secured, Optional<String> permission,
                            List<String> acceptedScopes, int successStatus) {
    }

    private final Map<String, Operation> byKey;
    private final byte[] document;

    private SpecIndex(Map<String, Operation> byKey, byte[] document) {
        this.byKey = byKey;
        this.document = document;
    }

    /** Loads {@code /openapi.yaml} from the classpath (the api-spec jar). */
    public static SpecIndex load() {
        try (InputStream in = SpecIndex.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the classpath (api-spec jar missing)");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SpecIndex parse(byte[] yaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        JsonNode components = root.path("components").path("parameters");
        boolean securedByDefault = root.path("security").size() > 0;
        Map<String, Operation> ops = new HashMap<>();
        for (var pathEntry : root.path("paths").properties()) {
            JsonNode pathItem = pathEntry.getValue();
            for (var f : pathItem.properties()) {
                String method = f.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                JsonNode op = f.getValue();
                Set<String> query = new LinkedHashSet<>();
                Set<String> repeatable = new LinkedHashSet<>();
                collectQuery(pathItem.path("parameters"), components, query, repeatable);
                collectQuery(op.path("parameters"), components, query, repeatable);
                boolean secured = op.has("security") ? op.path("security").size() > 0 : securedByDefault;
                Optional<String> permission = Optional.ofNullable(op.path("x-permission").textValue());
                List<String> scopes = new ArrayList<>();
                op.path("x-accepted-scopes").forEach(s -> scopes.add(s.asText()));
                int success = 200;
                for (var codes = op.path("responses").fieldNames(); codes.hasNext(); ) {
                    String code = codes.next();
                    if (code.startsWith("2")) {
                        success = Integer.parseInt(code);
                        break;
                    }
                }
                Operation operation = new Operation(op.path("operationId").asText(), method, pathEntry.getKey(),
                        Set.copyOf(query), Set.copyOf(repeatable), secured, permission, List.copyOf(scopes), success);
                ops.put(key(method, pathEntry.getKey()), operation);
            }
        }
        return new SpecIndex(Map.copyOf(ops), yaml);
    }

    private static void collectQuery(JsonNode parameters, JsonNode components, Set<String> out, Set<String> repeatable) {
        for (JsonNode p : parameters) {
            JsonNode resolved = p;
            if (p.has("$ref")) {
                String ref = p.get("$ref").asText();
                resolved = components.path(ref.substring(ref.lastIndexOf('/') + 1));
            }
            if ("query".equals(resolved.path("in").asText())) {
                out.add(resolved.path("name").asText());
                // Only an exploded array (form style: the OpenAPI default for query) is sent as a=1&a=2.
                if ("array".equals(resolved.path("schema").path("type").asText())
                        && resolved.path("explode").asBoolean(true)) {
                    repeatable.add(resolved.path("name").asText());
                }
            }
        }
    }

    private static String key(String method, String path) {
        return method + " " + path;
    }

    /** The operation for a method and a path template such as {@code /experiments/{name}}, if the spec has it. */
    public Optional<Operation> find(String method, String pathTemplate) {
        return Optional.ofNullable(byKey.get(key(method, pathTemplate)));
    }

    /** Every operation of the spec. */
    public List<Operation> operations() {
        return List.copyOf(byKey.values());
    }

    /** The document's bytes, exactly as committed. */
    public byte[] document() {
        return document.clone();
    }
}
