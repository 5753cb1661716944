package dev.intake.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a verified token says about its bearer: the scopes it carries ({@code scope}, space separated, and/or
 * {@code scp}, an array) and its role per workspace ({@code workspaces}: workspace name or {@code *} → role name).
 * Claims of an unexpected shape grant nothing; they never fail the request by themselves.
 */
record Caller(Set<String> scopes, Map<String, Role> roles) {
    static final String ANY_WORKSPACE = "*";

    Caller {
        scopes = Set.copyOf(scopes);
        roles = Map.copyOf(roles);
    }

    static Caller from(JWTClaimsSet claims) {
        Set<String> scopes = new HashSet<>();
        addScopes(claims.getClaim("scope"), scopes);
        addScopes(claims.getClaim("scp"), scopes);
        Map<String, Role> roles = new HashMap<>();
        if (claims.getClaim("workspaces") instanceof Map<?, ?> workspaces) {
            workspaces.forEach((workspace, role) -> Role.fromClaim(role)
                    .ifPresent(r -> roles.put(String.valueOf(workspace), r)));
        }
        return new Caller(scopes, roles);
    }

    private static void addScopes(Object claim, Set<String> out) {
        if (claim instanceof String s) {
            Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).forEach(out::add);
        } else if (claim instanceof Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(out::add);
        }
    }

    boolean hasAnyScope(List<String> accepted) {
        return accepted.stream().anyMatch(scopes::contains);
    }

    /** Whether the caller has any role in the workspace, through its own entry or through {@code *}. */
    boolean hasRoleIn(String workspace) {
        return workspace != null && roles.containsKey(workspace) || roles.containsKey(ANY_WORKSPACE);
    }

    /**
     * Whether the caller's role in the workspace grants the permission. The workspace's own entry and the {@code *}
     * entry both count (the stronger wins); with no workspace in the path only {@code *} counts.
     */
    boolean mayIn(String workspace, String permission) {
        Role own = workspace == null ? null : roles.get(workspace);
        Role any = roles.get(ANY_WORKSPACE);
        return own != null && own.grants(permission) || any != null && any.grants(permission);
    }
}
