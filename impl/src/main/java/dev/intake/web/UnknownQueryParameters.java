package dev.intake.web;

import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.ProblemFieldLocation;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.TreeSet;

/**
 * Rejects query parameters the spec does not declare for the operation, naming them: a misspelt filter must not
 * silently return everything. Runs after authentication, before the resource.
 */
@Priority(Priorities.USER)
public final class UnknownQueryParameters implements ContainerRequestFilter {
    private final SpecIndex spec;

    public UnknownQueryParameters(SpecIndex spec) {
        this.spec = spec;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        MatchedOperation.of(request, spec).ifPresent(op -> {
            TreeSet<String> unknown = new TreeSet<>(request.getUriInfo().getQueryParameters().keySet());
            unknown.removeAll(op.queryParameters());
            if (!unknown.isEmpty()) {
                throw ApiProblemException.badRequest(ProblemCode.UNKNOWN_PARAMETER, "Unsupported query parameter(s): " + String.join(", ", unknown) + ".",
                        unknown.stream().map(n -> new ApiProblemException.FieldError(n, "unknown query parameter",
                                ProblemFieldLocation.QUERY)).toList());
            }
        });
    }

}
