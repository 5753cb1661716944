package dev.intake.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/**
 * Refuses {@code cursor} together with {@code page} on every operation that declares both (a keyset cursor says
 * where the page starts, so a page number would contradict it). A filter because a resource only sees {@code page}
 * after its default (1) was applied, and cannot tell it from an explicit {@code page=1}.
 */
@Priority(Priorities.USER)
public final class CursorExcludesPage implements ContainerRequestFilter {
    private final SpecIndex spec;

    public CursorExcludesPage(SpecIndex spec) {
        this.spec = spec;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        if (query.containsKey("cursor") && query.containsKey("page") && MatchedOperation.of(request, spec)
                .filter(op -> op.queryParameters().containsAll(List.of("cursor", "page"))).isPresent()) {
            throw ApiProblemException.badRequest("Use either cursor or page, not both.",
                    List.of(new ApiProblemException.FieldError("page", "not allowed together with cursor")));
        }
    }
}
