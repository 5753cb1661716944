package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs after every integration test (its own failsafe execution): each operation of the spec, with each status it
 * declares, must have been answered at least once during the run, and nothing undeclared may have been answered.
 */
class ContractCoverageCheck {
    @Test
    void everyDeclaredStatusOfEveryOperationWasExercised() throws IOException {
        Path file = Path.of(System.getProperty("contract.coverage.file", "target/contract-coverage.txt"));
        assertThat(file).as("the integration tests record what they saw here").exists();
        Set<String> seen = new TreeSet<>(Files.readAllLines(file));
        OpenAPI spec = new OpenAPIV3Parser().read(System.getProperty("spec.file", "../api-spec/src/main/resources/openapi.yaml"));
        Set<String> declared = new TreeSet<>();
        spec.getPaths().values().forEach(item -> item.readOperations().forEach(op ->
                op.getResponses().keySet().forEach(status -> declared.add(op.getOperationId() + " " + status))));

        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(seen);
        Set<String> undeclared = new TreeSet<>(seen);
        undeclared.removeAll(declared);

        assertThat(missing).as("declared (operation, status) pairs no test produced").isEmpty();
        assertThat(undeclared).as("(operation, status) pairs answered but not declared").isEmpty();
    }
}
