package dev.intake.web;

import dev.intake.store.StoreBudget;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;

/** Starts each request's store time budget when the request arrives and ends it with the answer. */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class StoreTimeBudget implements ContainerRequestFilter, ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        StoreBudget.beginRequest();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        StoreBudget.endRequest();
    }
}
