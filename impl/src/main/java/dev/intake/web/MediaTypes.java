package dev.intake.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/**
 * The server does not negotiate: every answer is JSON (the spec document YAML), so {@code Accept} is ignored and
 * no request ends in 406 (RFC 9110 lets a server disregard it). A {@code Content-Type} that cannot be parsed
 * ({@code garbage}, a list, an empty value, the header twice) would otherwise end in Jersey's empty 400: on a
 * request that sends a body it is the spec's 415 problem, on one that sends none it is ignored, as it means nothing
 * there.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class MediaTypes implements ContainerRequestFilter {
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    @Override
    public void filter(ContainerRequestContext request) {
        request.getHeaders().remove(HttpHeaders.ACCEPT);
        List<String> contentTypes = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (contentTypes == null || contentTypes.isEmpty() || (contentTypes.size() == 1 && parses(contentTypes.get(0)))) {
            return;
        }
        if (BODY_METHODS.contains(request.getMethod()) || request.hasEntity()) {
            throw ApiProblemException.unsupportedMediaType("Content-Type " + contentTypes
                    + " is not a media type; send the body as " + MediaType.APPLICATION_JSON + ".");
        }
        request.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
    }

    private static boolean parses(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
