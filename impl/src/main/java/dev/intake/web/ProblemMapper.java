package dev.intake.web;

import dev.intake.api.model.Problem;
import dev.intake.api.model.ProblemFieldError;
import dev.intake.store.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.server.ParamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers, always the spec's problem-details body. Invalid parameters
 * are 400, invalid bodies 422, a store failure 503, a 401 carries its {@code WWW-Authenticate} challenge; anything
 * unexpected is a 500 whose body carries the request id that the log line (with the stack trace) also carries.
 */
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    /** Mappers are singletons: the current request comes through a provider, never a field set once. */
    @Inject
    private Provider<ContainerRequestContext> request;

    @Override
    public Response toResponse(Throwable e) {
        return answer(request.get(), e);
    }

    /** The problem answer for a failure while serving {@code request}. */
    static Response answer(ContainerRequestContext request, Throwable e) {
        ApiProblemException problem = find(e, ApiProblemException.class);
        if (problem != null) {
            Response.ResponseBuilder rb = builder(request, problem.status(), problem.getMessage(), problem.errors());
            problem.challenge().ifPresent(c -> rb.header(HttpHeaders.WWW_AUTHENTICATE, c));
            return rb.build();
        }
        StoreUnavailableException store = find(e, StoreUnavailableException.class);
        if (store != null) {
            LOG.warn("{} {} -> 503 (request {}): {}", method(request), path(request), RequestIds.of(request), store.getMessage());
            return problem(request, 503, "The ClickHouse store is unavailable; retry later.", List.of());
        }
        if (e instanceof WebApplicationException wae && wae.getResponse().hasEntity()) {
            return wae.getResponse(); // an answer the resource built on purpose (readiness 503)
        }
        if (e instanceof ConstraintViolationException cve) {
            return problem(request, 400, "Invalid parameter value.", parameterErrors(cve));
        }
        if (e instanceof ParamException pe) {
            String name = pe.getParameterName();
            return problem(request, 400, "Invalid value for parameter '" + name + "'.",
                    List.of(new ApiProblemException.FieldError(name, "invalid value")));
        }
        if (e instanceof NotFoundException) {
            return problem(request, 404, "No route matches " + method(request) + " " + path(request) + ".", List.of());
        }
        if (e instanceof NotAllowedException na) {
            // RFC 9110: a 405 names the methods the resource offers.
            Set<String> allowed = na.getResponse().getAllowedMethods();
            return builder(request, 405, method(request) + " is not offered here; allowed: " + String.join(", ", allowed) + ".",
                    List.of()).allow(allowed).build();
        }
        if (e instanceof NotSupportedException) {
            return problem(request, 415, "The request body must be sent as " + MediaType.APPLICATION_JSON + ".", List.of());
        }
        if (e instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (status < 500) {
                return problem(request, status, wae.getMessage() == null ? "Request rejected." : wae.getMessage(), List.of());
            }
        }
        LOG.error("{} {} -> 500 (request {})", method(request), path(request), RequestIds.of(request), e);
        return problem(request, 500, "Internal error; it has been logged with request id " + RequestIds.of(request) + ".", List.of());
    }

    private static Response problem(ContainerRequestContext request, int status, String detail,
                                    List<ApiProblemException.FieldError> errors) {
        return builder(request, status, detail, errors).build();
    }

    private static Response.ResponseBuilder builder(ContainerRequestContext request, int status, String detail,
                                                    List<ApiProblemException.FieldError> errors) {
        String title = switch (status) {
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known != null ? known.getReasonPhrase() : "HTTP " + status;
            }
        };
        List<ProblemFieldError> fieldErrors = new ArrayList<>();
        for (ApiProblemException.FieldError fe : errors) {
            fieldErrors.add(new ProblemFieldError(fe.field(), fe.message()));
        }
        Problem body = new Problem("about:blank", title, status,
                detail, path(request), RequestIds.of(request), fieldErrors);
        Response.ResponseBuilder rb = Response.status(status).type(PROBLEM_JSON).entity(body);
        if (status == 503) {
            rb.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return rb;
    }

    private static List<ApiProblemException.FieldError> parameterErrors(ConstraintViolationException cve) {
        List<ApiProblemException.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : cve.getConstraintViolations()) {
            errors.add(new ApiProblemException.FieldError(parameterName(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(ApiProblemException.FieldError::field));
        return errors;
    }

    /** "listExperimentSessions.pageSize" names the Java parameter; the client sent "page_size". */
    private static String parameterName(Path path) {
        String last = null;
        for (Path.Node node : path) {
            last = node.getName();
        }
        return last == null ? "parameter" : Names.snakeCase(last);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String path(ContainerRequestContext request) {
        return request == null ? "" : "/" + request.getUriInfo().getPath();
    }

    private static String method(ContainerRequestContext request) {
        return request == null ? "" : request.getMethod();
    }
}
