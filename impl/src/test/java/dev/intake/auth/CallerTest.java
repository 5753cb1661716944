package dev.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void scopesComeFromTheSpaceSeparatedScopeClaimAndTheScpArray() {
        Caller caller = Caller.from(new JWTClaimsSet.Builder()
                .claim("scope", " intake:read  openid ").claim("scp", List.of("platform:write", 7)).build());

        assertThat(caller.scopes()).containsExactlyInAnyOrder("intake:read", "openid", "platform:write");
        assertThat(caller.hasAnyScope(List.of("intake:write", "platform:write"))).isTrue();
        assertThat(caller.hasAnyScope(List.of("intake:write"))).isFalse();
    }

    @Test
    void viewerReadsButDoesNotWrite() {
        Caller caller = callerWith(Map.of("ws-a", "Viewer"));

        assertThat(caller.mayIn("ws-a", "intake.experiments.read")).isTrue();
        assertThat(caller.mayIn("ws-a", "intake.sessions.read")).isTrue();
        assertThat(caller.mayIn("ws-a", "intake.experiments.create")).isFalse();
        assertThat(caller.mayIn("ws-a", "intake.ingest.create")).isFalse();
    }

    @Test
    void editorAndAdminWriteAndRead() {
        for (String role : List.of("Editor", "Admin")) {
            Caller caller = callerWith(Map.of("ws-a", role));
            assertThat(List.of("intake.experiments.read", "intake.experiments.create", "intake.experiments.update",
                    "intake.experiments.delete", "intake.ingest.create"))
                    .as(role).allMatch(p -> caller.mayIn("ws-a", p));
        }
    }

    @Test
    void aRoleInOneWorkspaceGrantsNothingInAnother() {
        Caller caller = callerWith(Map.of("ws-a", "Admin"));

        assertThat(caller.hasRoleIn("ws-b")).isFalse();
        assertThat(caller.mayIn("ws-b", "intake.experiments.read")).isFalse();
    }

    @Test
    void theStarEntryAppliesToEveryWorkspaceAndTheStrongerEntryWins() {
        Caller caller = callerWith(Map.of("*", "Viewer", "ws-a", "Editor"));

        assertThat(caller.mayIn("ws-z", "intake.experiments.read")).isTrue();
        assertThat(caller.mayIn("ws-z", "intake.experiments.create")).isFalse();
        assertThat(caller.mayIn("ws-a", "intake.experiments.create")).isTrue();
    }

    @Test
    void unknownRoleNamesAndMisshapenClaimsGrantNothing() {
        assertThat(callerWith(Map.of("ws-a", "viewer", "ws-b", "Owner")).roles()).isEmpty();
        Caller odd = Caller.from(new JWTClaimsSet.Builder().claim("workspaces", List.of("ws-a")).claim("scope", 42).build());
        assertThat(odd.roles()).isEmpty();
        assertThat(odd.scopes()).isEmpty();
    }

    private static Caller callerWith(Map<String, Object> workspaces) {
        return Caller.from(new JWTClaimsSet.Builder().claim("workspaces", workspaces).build());
    }
}
