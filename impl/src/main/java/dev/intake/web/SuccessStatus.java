package dev.intake.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Typed resource methods cannot choose their status; the spec does. A 200 from an operation whose spec declares
 * 201 as its success answer becomes 201.
 */
public final class SuccessStatus implements ContainerResponseFilter {
    private final SpecIndex spec;

    public SuccessStatus(SpecIndex spec) {
        this.spec = spec;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 200) {
            MatchedOperation.of(request, spec).ifPresent(op -> {
                if (op.successStatus() != 200) {
                    response.setStatus(op.successStatus());
                }
            });
        }
    }
}
