package dev.intake.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.ExperimentRequest;
import jakarta.validation.Validation;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a body that breaks its schema is answered: one 422 naming every offending field by its JSON path. */
class BodyValidationTest {
    final BodyValidation validation = new BodyValidation(ApiJson.create(),
            Validation.buildDefaultValidatorFactory().getValidator(),
            Map.of(ExperimentRequest.class, body -> List.of(new ApiProblemException.FieldError("$.rule", "own rule"))));

    /** What Jersey hands the interceptor: the body's bytes and the type to bind. */
    static ReaderInterceptorContext body(String json, Class<?> type) {
        return body(json, type, jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE);
    }

    static ReaderInterceptorContext body(String json, Class<?> type, jakarta.ws.rs.core.MediaType mediaType) {
        return (ReaderInterceptorContext) Proxy.newProxyInstance(BodyValidationTest.class.getClassLoader(),
                new Class<?>[]{ReaderInterceptorContext.class}, (self, method, args) -> switch (method.getName()) {
                    case "getInputStream" -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
                    case "getGenericType", "getType" -> type;
                    case "getMediaType" -> mediaType;
                    case "proceed" -> "what Jersey's readers make of it";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    Map<String, String> problems(String json, Class<?> type) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        assertThatThrownBy(() -> validation.aroundReadFrom(body(json, type)))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    e.errors().forEach(f -> out.put(f.field(), f.message()));
                });
        return out;
    }

    @Test
    void aBodyNotSentAsJsonIsLeftToJersey() throws Exception {
        assertThat(validation.aroundReadFrom(body("{}", ExperimentRequest.class,
                jakarta.ws.rs.core.MediaType.APPLICATION_OCTET_STREAM_TYPE))).isEqualTo("what Jersey's readers make of it");
    }

    @Test
    void aValidBodyIsBoundThenItsOwnRulesRun() {
        assertThat(problems("""
                {"name":"e","agent_name":"a","agent_version":"1","dataset_name":"d"}""", ExperimentRequest.class))
                .containsOnlyKeys("$.rule");
    }

    @Test
    void unknownPropertiesAreNamedWhereverTheyAre() {
        assertThat(problems("""
                {"schema_version":"ATIF-v1.7","session_id":"s","agent":{"name":"a","version":"1","colour":1},
                 "steps":[{"step_id":1,"source":"user","message":"m"},
                          {"step_id":2,"source":"agent","message":"m","mood":{"x":1}}],"zzz":[1]}""",
                AtifTrajectory.class)).containsOnlyKeys("$.agent.colour", "$.steps[1].mood", "$.zzz");
    }

    @Test
    void everyUnreadableValueIsNamedAndTheRestStillChecked() {
        Map<String, String> p = problems("""
                {"schema_version":"ATIF-v1.7","session_id":7,"agent":{"name":"a","version":"1"},
                 "steps":[{"step_id":"one","source":"user","message":"m"},{"step_id":2,"source":"robot"}],
                 "extra":{"unknown_here":true},"nope":1}""", AtifTrajectory.class);

        assertThat(p).containsKeys("$.session_id", "$.steps[0].step_id", "$.steps[1].source", "$.nope");
        assertThat(p.keySet()).noneMatch(k -> k.startsWith("$.extra"));
    }

    @Test
    void missingRequiredPropertiesAreListedTogether() {
        assertThat(problems("{\"name\":\"e\"}", ExperimentRequest.class))
                .containsKeys("$.agent_name", "$.agent_version", "$.dataset_name");
    }

    @Test
    void aRepeatedKeyIsNamedByItsPath() {
        assertThat(problems("""
                {"name":"e","agent_name":"a","agent_version":"1","dataset_name":"d","name":"f"}""",
                ExperimentRequest.class)).containsOnlyKeys("$.name");
    }

    @Test
    void anEmptyBodyAndMalformedJsonAreNamedAtTheRoot() {
        assertThat(problems("", ExperimentRequest.class)).containsOnlyKeys("$");
        assertThat(problems("   ", ExperimentRequest.class)).containsOnlyKeys("$");
        assertThat(problems("{\"name\":", ExperimentRequest.class)).hasSize(1);
    }
}
