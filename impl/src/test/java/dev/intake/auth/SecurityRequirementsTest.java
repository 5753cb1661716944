package dev.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.web.SpecIndex;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecurityRequirementsTest {

    @Test
    void everySecuredOperationOfTheServedSpecDeclaresAPermissionAndAcceptedScopes() {
        List<SpecIndex.Operation> secured = SpecIndex.load().operations().stream()
                .filter(SpecIndex.Operation::secured).toList();

        assertThat(secured).isNotEmpty();
        assertThat(secured).allSatisfy(op -> {
            assertThat(op.permission()).as(op.operationId() + " x-permission").isPresent();
            assertThat(op.acceptedScopes()).as(op.operationId() + " x-accepted-scopes").isNotEmpty();
            assertThat(Role.anyGrants(op.permission().get())).as(op.operationId() + " permission granted by a role").isTrue();
        });
        assertThatCode(() -> SecurityRequirements.check(SpecIndex.load().operations())).doesNotThrowAnyException();
    }

    @Test
    void onlyHealthTheDocumentItsPagesAndTheMetricsAreOpen() {
        assertThat(SpecIndex.load().operations()).filteredOn(op -> !op.secured())
                .extracting(SpecIndex.Operation::path)
                .containsExactlyInAnyOrder("/health/live", "/health/ready", "/openapi.yaml", "/", "/docs", "/metrics");
    }

    @Test
    void aSecuredOperationWithoutPermissionStopsTheStart() {
        assertThatThrownBy(() -> SecurityRequirements.check(List.of(op("listThings", true, null, List.of("intake:read")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("listThings").hasMessageContaining("no x-permission");
    }

    @Test
    void aSecuredOperationWithoutAcceptedScopesStopsTheStart() {
        assertThatThrownBy(() -> SecurityRequirements.check(List.of(op("listThings", true, "intake.experiments.read", List.of()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no x-accepted-scopes");
    }

    @Test
    void aPermissionNoRoleGrantsStopsTheStart() {
        assertThatThrownBy(() -> SecurityRequirements.check(List.of(op("listThings", true, "intake.experiment.read", List.of("intake:read")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("which no role grants");
    }

    @Test
    void anOpenOperationNeedsNoPermission() {
        assertThatCode(() -> SecurityRequirements.check(List.of(op("getLiveness", false, null, List.of()))))
                .doesNotThrowAnyException();
    }

    private static SpecIndex.Operation op(String id, boolean secured, String permission, List<String> scopes) {
        return new SpecIndex.Operation(id, "GET", "/things", Set.of(), Set.of(), secured, Optional.ofNullable(permission), scopes, 200);
    }
}
