package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AUTH_MODE=jwt: what each workspace role may do, and that a role in one workspace opens nothing in another. */
@ExtendWith(ContractChecked.class)
class AuthRolesIT {
    static final String READ = "intake:read";
    static final String READ_WRITE = "intake:read intake:write";
    static final String EXP = "exp";
    static final Instant T0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    static final String A = Experiments.uniqueWorkspace();
    static final String B = Experiments.uniqueWorkspace();

    @RegisterExtension
    static final JwtFixture jwt = new JwtFixture();

    @BeforeAll
    static void seed() {
        Http admin = as("*", "Admin", READ_WRITE);
        for (String ws : new String[] {A, B}) {
            Experiments.create(admin, ws, EXP);
            Experiments.ingest(admin, ws, Trajectories.upstreamShape("s-" + ws, EXP, "case-1", T0, 1.0));
        }
    }

    static Http as(String workspace, String role, String scope) {
        return jwt.server.http().withBearer(jwt.issuer.token().scope(scope).role(workspace, role).sign());
    }

    static String experiments(String ws) {
        return "/apis/intake/v2/workspaces/" + ws + "/experiments";
    }

    @Test
    void aViewerListsAndGetsExperimentsAndListsSessions() {
        Http viewer = as(A, "Viewer", READ);

        assertThat(viewer.get(experiments(A)).status()).isEqualTo(200);
        assertThat(viewer.get(experiments(A) + "/" + EXP).status()).isEqualTo(200);
        Http.Response sessions = viewer.get(experiments(A) + "/" + EXP + "/sessions");
        assertThat(sessions.status()).isEqualTo(200);
        assertThat(sessions.json().path("pagination").path("total_results").asLong()).isEqualTo(1);
    }

    @Test
    void aViewerWithWriteScopeStillCannotCreateUpdateDeleteOrIngest() {
        Http viewer = as(A, "Viewer", READ_WRITE);

        Http.Response create = viewer.post(experiments(A), Experiments.request("new-one"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().path("detail").asText()).contains("intake.experiments.create");
        assertThat(viewer.put(experiments(A) + "/" + EXP, Experiments.request(EXP)).status()).isEqualTo(403);
        assertThat(viewer.delete(experiments(A) + "/" + EXP).status()).isEqualTo(403);
        assertThat(viewer.post("/apis/intake/v2/workspaces/" + A + "/ingest/atif",
                Trajectories.upstreamShape("s-viewer", EXP, "case-2", T0, 1.0).json()).status()).isEqualTo(403);
        assertThat(as(A, "Admin", READ).get(experiments(A)).status()).isEqualTo(200); // the experiment is untouched
    }

    @ParameterizedTest
    @ValueSource(strings = {"Editor", "Admin"})
    void editorsAndAdminsCreateUpdateIngestReadAndDelete(String role) {
        Http writer = as(A, role, READ_WRITE);
        String name = "by-" + role.toLowerCase();

        assertThat(writer.post(experiments(A), Experiments.request(name)).status()).isEqualTo(201);
        assertThat(writer.put(experiments(A) + "/" + name, Experiments.request(name)).status()).isEqualTo(200);
        assertThat(writer.post("/apis/intake/v2/workspaces/" + A + "/ingest/atif",
                Trajectories.upstreamShape("s-" + name, name, "case-1", T0, 0.5).json()).status()).isEqualTo(201);
        assertThat(writer.get(experiments(A) + "/" + name + "/sessions").status()).isEqualTo(200);
        assertThat(writer.get(experiments(A) + "/" + name).status()).isEqualTo(200);
        assertThat(writer.delete(experiments(A) + "/" + name).status()).isEqualTo(204);
    }

    @Test
    void aViewerOfOneWorkspaceCannotReadListOrIngestIntoAnother() {
        Http viewerOfA = as(A, "Viewer", READ_WRITE);

        for (Http.Response r : new Http.Response[] {
                viewerOfA.get(experiments(B)),
                viewerOfA.get(experiments(B) + "/" + EXP),
                viewerOfA.get(experiments(B) + "/" + EXP + "/sessions"),
                viewerOfA.post("/apis/intake/v2/workspaces/" + B + "/ingest/atif",
                        Trajectories.upstreamShape("s-intruder", EXP, "case-9", T0, 0.0).json())}) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json().path("detail").asText()).contains("no role in workspace '" + B + "'");
            assertThat(r.body()).doesNotContain("s-" + B);
        }
    }

    @Test
    void anEditorOfOneWorkspaceCannotIngestIntoAnother() {
        Http.Response r = as(A, "Editor", READ_WRITE).post("/apis/intake/v2/workspaces/" + B + "/ingest/atif",
                Trajectories.upstreamShape("s-editor-of-a", EXP, "case-9", T0, 0.0).json());

        assertThat(r.status()).isEqualTo(403);
        Http.Response sessionsOfB = as(B, "Viewer", READ).get(experiments(B) + "/" + EXP + "/sessions");
        assertThat(sessionsOfB.json().path("pagination").path("total_results").asLong()).isEqualTo(1);
    }

    @Test
    void theStarEntryGivesItsRoleInEveryWorkspace() {
        Http viewerEverywhere = as("*", "Viewer", READ_WRITE);

        assertThat(viewerEverywhere.get(experiments(A)).status()).isEqualTo(200);
        assertThat(viewerEverywhere.get(experiments(B) + "/" + EXP + "/sessions").status()).isEqualTo(200);
        assertThat(viewerEverywhere.post(experiments(B), Experiments.request("nope")).status()).isEqualTo(403);
    }

    @Test
    void anEs256TokenWithScopesInTheScpArrayIsAccepted() {
        String token = jwt.issuer.token().signedWith(jwt.issuer.ecKey()).scp("platform:read").role(A, "Viewer").sign();

        assertThat(jwt.server.http().withBearer(token).get(experiments(A) + "/" + EXP).status()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutTheOperationsScopeIsForbiddenWhateverTheRole() {
        Http.Response r = as(A, "Admin", READ).post(experiments(A), Experiments.request("needs-write-scope"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("detail").asText()).contains("intake:write, platform:write");
    }
}
