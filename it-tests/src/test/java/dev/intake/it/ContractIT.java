package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.web.SpecIndex;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server and the spec describe the same API: same routes, and the spec served is the one committed. */
@ExtendWith(ContractChecked.class)
class ContractIT {
    static final Path SPEC = Path.of(System.getProperty("spec.file", "../api-spec/src/main/resources/openapi.yaml"));

    @Test
    void servedSpecIsTheCommittedFileByteForByte() throws IOException {
        TestServer server = TestServer.shared().awaitReady(Duration.ofSeconds(60));

        Http.Response r = server.http().get("/openapi.yaml");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/yaml");
        assertThat(r.body()).as("served spec, as text").isEqualTo(Files.readString(SPEC));
        assertThat(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).as("served spec, as bytes")
                .isEqualTo(Files.readAllBytes(SPEC));
    }

    @Test
    void everySpecOperationHasARouteAndEveryRouteIsInTheSpec() {
        Set<String> routes = new TreeSet<>();
        for (Class<?> resource : resourceClasses()) {
            collect(Resource.from(resource), "", routes);
        }
        OpenAPI spec = new OpenAPIV3Parser().read(SPEC.toString());
        Set<String> operations = new TreeSet<>();
        spec.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> operations.add(method + " " + path)));

        assertThat(routes).isEqualTo(operations);
    }

    /**
     * The resource classes the application registers, found from the generated interfaces they implement. They are
     * package-private behind each feature's door, hence loaded by name.
     */
    private static Set<Class<?>> resourceClasses() {
        return Stream.of("dev.intake.meta.OpenApiResource", "dev.intake.metrics.MetricsResource",
                "dev.intake.health.HealthResource",
                "dev.intake.experiments.ExperimentsResource", "dev.intake.ingest.IngestResource",
                "dev.intake.sessions.SessionsResource", "dev.intake.analysis.AnalysisResource")
                .<Class<?>>map(ContractIT::classNamed)
                .peek(c -> assertThat(Arrays.stream(c.getInterfaces()).map(Class::getPackageName))
                        .as(c + " implements a generated interface").contains("dev.intake.api"))
                .collect(Collectors.toSet());
    }

    private static Class<?> classNamed(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is gone", e);
        }
    }

    private static void collect(Resource resource, String prefix, Set<String> out) {
        String path = join(prefix, resource.getPath());
        for (ResourceMethod m : resource.getResourceMethods()) {
            out.add(m.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, out);
        }
    }

    private static String join(String prefix, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        String p = path.startsWith("/") ? path : "/" + path;
        p = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
        return (prefix.equals("/") ? "" : prefix) + p;
    }

    @Test
    void specIndexSeesEveryOperation() {
        assertThat(SpecIndex.load().operations()).hasSize((int) new OpenAPIV3Parser().read(SPEC.toString())
                .getPaths().values().stream().mapToLong(i -> i.readOperationsMap().size()).sum());
    }
}
