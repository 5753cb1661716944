package dev.intake.auth;

import java.util.Optional;
import java.util.Set;

/**
 * A caller's role in one workspace, as named in the token's {@code workspaces} claim, and the permissions it grants.
 * Each role includes the one below it. Which permission an operation needs is the spec's business
 * ({@code x-permission}); which role grants it is this policy's.
 */
enum Role {
    VIEWER("Viewer", null, Set.of("intake.experiments.read", "intake.sessions.read")),
    EDITOR("Editor", VIEWER, Set.of("intake.experiments.create", "intake.experiments.update",
            "intake.experiments.delete", "intake.ingest.create")),
    ADMIN("Admin", EDITOR, Set.of());

    private final String claimValue;
    private final Role includes;
    private final Set<String> own;

    Role(String claimValue, Role includes, Set<String> own) {
        this.claimValue = claimValue;
        this.includes = includes;
        this.own = own;
    }

    boolean grants(String permission) {
        return own.contains(permission) || includes != null && includes.grants(permission);
    }

    /** The role a claim value names ({@code Viewer}, {@code Editor}, {@code Admin}, exactly); anything else is none. */
    static Optional<Role> fromClaim(Object value) {
        for (Role r : values()) {
            if (r.claimValue.equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether any role grants the permission; an operation needing one no role grants could never be called. */
    static boolean anyGrants(String permission) {
        for (Role r : values()) {
            if (r.grants(permission)) {
                return true;
            }
        }
        return false;
    }
}
