package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.sdk.ApiException;
import dev.intake.sdk.api.ExperimentsApi;
import dev.intake.sdk.model.ExperimentRequest;
import dev.intake.sdk.model.ExperimentResponse;
import dev.intake.sdk.model.ExperimentResponsesPage;
import dev.intake.sdk.model.ExperimentSort;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Experiments CRUD through the generated SDK, with every error status. */
@ExtendWith(ContractChecked.class)
class ExperimentsCrudIT {
    static final TestServer SERVER = TestServer.shared();
    static ExperimentsApi api;

    @BeforeAll
    static void connect() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        api = new ExperimentsApi(SERVER.sdk());
    }

    static ExperimentRequest request(String name) {
        return new ExperimentRequest().name(name).agentName("agent").agentVersion("1.0").datasetName("ds");
    }

    @Test
    void createReturnsTheStoredExperimentWithServerFields() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        ExperimentResponse created = api.createExperiment(ws, request("exp-1").datasetVersion("v2")
                .metadata(Map.of("team", "evals", "n", 3)).description("first").sourceLink("https://ci.example/run/1"));

        assertThat(created.getId()).isNotBlank();
        assertThat(created.getWorkspace()).isEqualTo(ws);
        assertThat(created.getDatasetVersion()).isEqualTo("v2");
        assertThat(created.getMetadata()).containsEntry("team", "evals").containsEntry("n", 3);
        assertThat(created.getExperimentGroupId()).isNull();
        assertThat(created.getCreatedAt()).isEqualTo(created.getUpdatedAt());
        assertThat(api.getExperiment(ws, "exp-1")).isEqualTo(created);
    }

    @Test
    void creatingAnExistingNameIs409() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        api.createExperiment(ws, request("dup"));

        assertStatus(() -> api.createExperiment(ws, request("dup")), 409, "Experiment '" + ws + "/dup' already exists.");
    }

    @Test
    void getOfAnUnknownExperimentIs404() {
        String ws = Experiments.uniqueWorkspace();
        assertStatus(() -> api.getExperiment(ws, "missing"), 404, "Experiment '" + ws + "/missing' not found.");
    }

    @Test
    void updateChangesMutableFieldsAndKeepsCreation() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        ExperimentResponse created = api.createExperiment(ws, request("upd"));

        ExperimentResponse updated = api.updateExperiment(ws, "upd", request("upd").summary("all green")
                .experimentGroupId("g-1").metadata(Map.of("k", "v")));

        assertThat(updated.getId()).isEqualTo(created.getId());
        assertThat(updated.getSummary()).isEqualTo("all green");
        assertThat(updated.getExperimentGroupId()).isEqualTo("g-1");
        assertThat(updated.getCreatedAt()).isEqualTo(created.getCreatedAt());
        assertThat(updated.getUpdatedAt()).isAfter(created.getUpdatedAt());
        assertThat(api.getExperiment(ws, "upd").getSummary()).isEqualTo("all green");
    }

    @Test
    void updateOfAnImmutableFieldIs409AndChangesNothing() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        api.createExperiment(ws, request("imm"));

        assertStatus(() -> api.updateExperiment(ws, "imm", request("imm").agentVersion("2.0").summary("x")), 409,
                "immutable field(s) cannot change: agent_version");
        assertStatus(() -> api.updateExperiment(ws, "imm", request("other")), 409, "name");
        assertThat(api.getExperiment(ws, "imm").getSummary()).isNull();
    }

    @Test
    void updateOfAnUnknownExperimentIs404() {
        String ws = Experiments.uniqueWorkspace();
        assertStatus(() -> api.updateExperiment(ws, "nope", request("nope")), 404, "not found");
    }

    @Test
    void deleteMakesTheExperimentGoneAndItsNameReusable() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        ExperimentResponse first = api.createExperiment(ws, request("gone"));

        api.deleteExperiment(ws, "gone");

        assertStatus(() -> api.getExperiment(ws, "gone"), 404, "not found");
        assertStatus(() -> api.deleteExperiment(ws, "gone"), 404, "not found");
        assertThat(api.listExperiments(ws, null, null, null, null, null, null).getPagination().getTotalResults()).isZero();
        ExperimentResponse second = api.createExperiment(ws, request("gone"));
        assertThat(second.getId()).isNotEqualTo(first.getId());
        assertThat(api.getExperiment(ws, "gone").getId()).isEqualTo(second.getId());
    }

    @Test
    void listPaginatesSortsAndFilters() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        api.createExperiment(ws, request("b-exp"));
        api.createExperiment(ws, request("a-exp").agentName("other-agent"));
        api.createExperiment(ws, request("c-exp").datasetName("ds-2"));

        ExperimentResponsesPage byName = api.listExperiments(ws, 1, 2, ExperimentSort.NAME, null, null, null);
        assertThat(byName.getData()).extracting(ExperimentResponse::getName).containsExactly("a-exp", "b-exp");
        assertThat(byName.getPagination().getTotalResults()).isEqualTo(3);
        assertThat(byName.getPagination().getTotalPages()).isEqualTo(2);
        assertThat(byName.getSort()).isEqualTo(ExperimentSort.NAME);

        assertThat(api.listExperiments(ws, 2, 2, ExperimentSort.NAME, null, null, null).getData())
                .extracting(ExperimentResponse::getName).containsExactly("c-exp");
        assertThat(api.listExperiments(ws, null, null, ExperimentSort.NAME_DESC, null, null, null).getData())
                .extracting(ExperimentResponse::getName).containsExactly("c-exp", "b-exp", "a-exp");
        assertThat(api.listExperiments(ws, null, null, null, null, null, null).getData())
                .extracting(ExperimentResponse::getName).as("default -created_at").containsExactly("c-exp", "a-exp", "b-exp");
        assertThat(api.listExperiments(ws, null, null, null, null, "other-agent", null).getData())
                .extracting(ExperimentResponse::getName).containsExactly("a-exp");
        ExperimentResponsesPage byDataset = api.listExperiments(ws, null, null, null, null, null, "ds-2");
        assertThat(byDataset.getData()).extracting(ExperimentResponse::getName).containsExactly("c-exp");
        assertThat(byDataset.getFilter().getDatasetName()).isEqualTo("ds-2");
        assertThat(api.listExperiments(ws, null, null, null, "b-exp", null, null).getData()).hasSize(1);
        assertThat(api.listExperiments(ws, 9, 2, null, null, null, null).getData()).isEmpty();
    }

    @Test
    void invalidBodiesAre422ListingEveryField() {
        String ws = Experiments.uniqueWorkspace();
        Http.Response r = SERVER.http().post("/apis/intake/v2/workspaces/" + ws + "/experiments",
                Map.of("name", "bad name!", "colour", "red", "metadata", Map.of()));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .contains("$.name", "$.colour", "$.agent_name", "$.agent_version", "$.dataset_name");
    }

    @Test
    void invalidUpdateBodiesAre422() throws ApiException {
        String ws = Experiments.uniqueWorkspace();
        api.createExperiment(ws, request("upd-bad"));

        Http.Response r = SERVER.http().put("/apis/intake/v2/workspaces/" + ws + "/experiments/upd-bad",
                Map.of("name", "upd-bad", "agent_name", "agent", "agent_version", "1.0", "dataset_name", "ds",
                        "metadata", "not an object"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("$.metadata");
    }

    @Test
    void badListParametersAre400() {
        Http.Response r = SERVER.http().get("/apis/intake/v2/workspaces/w/experiments?sort=colour&page_size=0");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsAnyOf("sort", "page_size");
    }

    @Test
    void malformedJsonIs422() {
        Http.Response r = SERVER.http().post("/apis/intake/v2/workspaces/w/experiments", "{\"name\": ");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("detail").asText()).contains("not valid JSON");
    }

    @Test
    void badPathParametersAre400() {
        Http.Response r = SERVER.http().get("/apis/intake/v2/workspaces/bad%20ws/experiments/x");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("workspace");
    }

    static void assertStatus(ThrowingCallable call, int status, String detailPart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(status);
            assertThat(e.getResponseBody()).contains(detailPart);
        });
    }
}
