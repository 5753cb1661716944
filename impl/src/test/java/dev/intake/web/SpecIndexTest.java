package dev.intake.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpecIndexTest {
    @Test
    void onlyExplodedArrayQueryParametersAreRepeatable() throws Exception {
        String yaml = """
                openapi: 3.0.3
                paths:
                  /things:
                    get:
                      operationId: listThings
                      parameters:
                        - {name: page, in: query, schema: {type: integer}}
                        - {name: score, in: query, style: form, explode: true, schema: {type: array, items: {type: string}}}
                        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
                        - {name: label, in: query, schema: {type: array, items: {type: string}}}
                        - $ref: '#/components/parameters/Kind'
                      responses: {'200': {description: ok}}
                components:
                  parameters:
                    Kind: {name: kind, in: query, schema: {type: array, items: {type: string}}}
                """;
        SpecIndex.Operation op = SpecIndex.parse(yaml.getBytes(StandardCharsets.UTF_8)).find("GET", "/things").orElseThrow();

        assertThat(op.queryParameters()).containsExactlyInAnyOrder("page", "score", "tags", "label", "kind");
        assertThat(op.repeatableQueryParameters()).containsExactlyInAnyOrder("score", "label", "kind");
    }
}
