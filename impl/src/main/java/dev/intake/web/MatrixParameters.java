package dev.intake.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.PathSegment;
import java.util.List;
import java.util.TreeSet;

/**
 * Refuses matrix parameters ({@code /experiments/x;v=2}) with a 400 naming them. Jersey would strip them before
 * matching, so the request would silently read {@code x}: the API declares none, and a client that sends one
 * means something the server would ignore.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class MatrixParameters implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getRequestUri().getRawPath().indexOf(';') < 0) {
            return;
        }
        TreeSet<String> names = new TreeSet<>();
        for (PathSegment segment : request.getUriInfo().getPathSegments()) {
            names.addAll(segment.getMatrixParameters().keySet());
        }
        if (names.isEmpty()) {
            names.add(";");
        }
        throw ApiProblemException.badRequest("Matrix parameters are not supported: " + String.join(", ", names) + ".",
                names.stream().map(n -> new ApiProblemException.FieldError(n, "matrix parameter; this API declares none")).toList());
    }
}
