package dev.intake.web;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Invalid parameters get the same problem answer as everything else; without this, Jersey's own bean-validation
 * mapper (more specific than {@link ProblemMapper}) would answer a bare 400.
 */
public final class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
    /** Mappers are singletons: the current request comes through a provider, never a field set once. */
    @Inject
    private Provider<ContainerRequestContext> request;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        return ProblemMapper.answer(request.get(), e);
    }
}
