package dev.intake.auth;

import dev.intake.web.SpecIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Start-up check of the spec's security declarations: every secured operation must state the permission it needs
 * ({@code x-permission}, one that some role grants) and the scopes it accepts ({@code x-accepted-scopes}). An
 * operation the server could not enforce stops the start instead of being served open or closed by accident.
 */
final class SecurityRequirements {
    private SecurityRequirements() {
    }

    static void check(List<SpecIndex.Operation> operations) {
        List<String> problems = new ArrayList<>();
        operations.stream().filter(SpecIndex.Operation::secured)
                .sorted(Comparator.comparing(SpecIndex.Operation::operationId))
                .forEach(op -> {
                    String name = op.operationId() + " (" + op.method() + " " + op.path() + ")";
                    if (op.permission().isEmpty()) {
                        problems.add(name + " is secured but declares no x-permission");
                    } else if (!Role.anyGrants(op.permission().get())) {
                        problems.add(name + " needs x-permission " + op.permission().get() + ", which no role grants");
                    }
                    if (op.acceptedScopes().isEmpty()) {
                        problems.add(name + " is secured but declares no x-accepted-scopes");
                    }
                });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The OpenAPI document's security declarations cannot be enforced: "
                    + String.join("; ", problems));
        }
    }
}
