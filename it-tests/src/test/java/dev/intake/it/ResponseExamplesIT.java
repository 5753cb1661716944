package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every JSON example of every response in the spec is an answer the contract allows for that operation and status,
 * checked by the validator that checks the server's answers ({@link ContractRecorder}, which reads a nullable
 * {@code allOf} reference as "null or the enum"). Redocly checks the other examples; it cannot read those
 * references, so the examples that hold one are checked here (see api-spec/lint/.redocly.lint-ignore.yaml).
 */
@ExtendWith(ContractChecked.class)
class ResponseExamplesIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyJsonResponseExampleIsAnAnswerTheContractAllows() throws IOException {
        JsonNode root = YAML.readTree(Files.readString(
                Path.of(System.getProperty("spec.file", "../api-spec/src/main/resources/openapi.yaml"))));
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
            String concrete = path.getKey().replace("{workspace}", "demo").replace("{name}", "exp-1");
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                for (Map.Entry<String, JsonNode> response : operation.getValue().path("responses").properties()) {
                    JsonNode declared = resolve(root, response.getValue());
                    for (Map.Entry<String, JsonNode> media : declared.path("content").properties()) {
                        if (!media.getKey().contains("json") || media.getKey().contains("ndjson")) {
                            continue;
                        }
                        for (JsonNode example : media.getValue().path("examples")) {
                            String body = new ObjectMapper().writeValueAsString(resolve(root, example).get("value"));
                            ContractRecorder.checkAnswer(operation.getKey().toUpperCase(), concrete,
                                    Integer.parseInt(response.getKey()), media.getKey(), body);
                            checked.add(operation.getKey() + " " + path.getKey() + " " + response.getKey());
                        }
                    }
                }
            }
        }
        assertThat(checked).as("examples checked").hasSizeGreaterThan(50);
    }

    /** The object a {@code $ref} (to a component of the same document) names, or the node itself. */
    private static JsonNode resolve(JsonNode root, JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = root;
        for (String part : node.get("$ref").asText().substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }
}
