package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that standard clients or parsers would read differently from the server are refused, not guessed:
 * a key repeated in a JSON object, names made of dots (clients rewrite {@code .} and {@code ..} path segments),
 * matrix parameters (which the router would strip).
 */
@ExtendWith(ContractChecked.class)
class RequestSyntaxIT {
    static final TestServer SERVER = TestServer.shared();
    static final String WS = "/apis/intake/v2/workspaces/syntax";

    @BeforeAll
    static void ready() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        Experiments.create(SERVER.http(), "syntax", "exp");
    }

    @Test
    void aRepeatedKeyInTheBodyIs422NamingItsPathAndCreatesNothing() {
        Http.Response r = SERVER.http().post(WS + "/experiments",
                "{\"name\":\"dup-a\",\"agent_name\":\"x\",\"agent_version\":\"1\",\"dataset_name\":\"d\",\"name\":\"dup-b\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("$.name");
        assertThat(SERVER.http().get(WS + "/experiments/dup-a").status()).isEqualTo(404);
        assertThat(SERVER.http().get(WS + "/experiments/dup-b").status()).isEqualTo(404);
    }

    @Test
    void aRepeatedKeyDeepInATrajectoryIs422NamingItsPath() {
        String step = "{\"step_id\":1,\"timestamp\":\"" + Instant.now().minusSeconds(60)
                + "\",\"source\":\"user\",\"message\":\"a\",\"source\":\"agent\"}";
        String body = "{\"schema_version\":\"ATIF-v1.7\",\"session_id\":\"dup-1\",\"session_id\":\"dup-2\","
                + "\"experiment_context\":{\"experiment_id\":\"exp\"},\"agent\":{\"name\":\"a\",\"version\":\"1\"},"
                + "\"steps\":[" + step + "]}";
        Http.Response top = SERVER.http().post(WS + "/ingest/atif", body);
        Http.Response deep = SERVER.http().post(WS + "/ingest/atif", body.replace(",\"session_id\":\"dup-2\"", ""));

        assertThat(top.status()).as(top.body()).isEqualTo(422);
        assertThat(top.json().get("errors").findValuesAsText("field")).containsExactly("$.session_id");
        assertThat(deep.status()).as(deep.body()).isEqualTo(422);
        assertThat(deep.json().get("errors").findValuesAsText("field")).containsExactly("$.steps[0].source");
        assertThat(SERVER.http().get(WS + "/experiments/exp/sessions").json().at("/pagination/total_results").asLong())
                .isZero();
    }

    @ParameterizedTest(name = "experiment name \"{0}\" is refused")
    @ValueSource(strings = {".", "..", "..."})
    void dotNamesAreRefusedInBodiesAndPaths(String name) {
        Http.Response create = SERVER.http().post(WS + "/experiments", Experiments.request(name));
        Http.Response get = SERVER.http().get(WS + "/experiments/" + name);
        Http.Response workspace = SERVER.http().get("/apis/intake/v2/workspaces/" + name + "/experiments");

        assertThat(create.status()).as(create.body()).isEqualTo(422);
        assertThat(create.json().get("errors").findValuesAsText("field")).containsExactly("$.name");
        assertThat(get.status()).as(get.body()).isEqualTo(400);
        assertThat(get.json().get("errors").findValuesAsText("field")).containsExactly("name");
        assertThat(workspace.status()).as(workspace.body()).isEqualTo(400);
        assertThat(workspace.json().get("errors").findValuesAsText("field")).containsExactly("workspace");
    }

    @Test
    void namesWithDotsAndOtherCharactersStillWork() {
        Experiments.create(SERVER.http(), "syntax", ".hidden..v1.");

        assertThat(SERVER.http().get(WS + "/experiments/.hidden..v1.").status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} -> 400")
    @ValueSource(strings = {"/experiments;v=2", "/experiments/exp;v=2", "/experiments/exp;v=2/sessions", "/experiments/exp;"})
    void matrixParametersAre400NotStripped(String path) {
        Http.Response r = SERVER.http().get(WS + path);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly(path.endsWith(";") ? ";" : "v");
    }
}
