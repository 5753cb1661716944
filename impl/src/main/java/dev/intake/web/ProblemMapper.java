package dev.intake.web;

import dev.intake.api.model.Problem;
import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.ProblemFieldError;
import dev.intake.api.model.ProblemFieldLocation;
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
            Response.ResponseBuilder rb = builder(request, problem.status(), problem.code(), problem.getMessage(),
                    problem.errors());
            problem.challenge().ifPresent(c -> rb.header(HttpHeaders.WWW_AUTHENTICATE, c));
            return rb.build();
        }
        StoreUnavailableException store = find(e, StoreUnavailableException.class);
        if (store != null) {
            LOG.warn("{} {} -> 503 (request {}): {}", method(request), path(request), RequestIds.of(request), store.getMessage());
            return problem(request, 503, ProblemCode.STORE_UNAVAILABLE, "The ClickHouse store is unavailable; retry later.",
                    List.of());
        }
        if (e instanceof WebApplicationException wae && wae.getResponse().hasEntity()) {
            return wae.getResponse(); // an answer the resource built on purpose (readiness 503)
        }
        if (e instanceof ConstraintViolationException cve) {
            return problem(request, 400, ProblemCode.INVALID_PARAMETER, "Invalid parameter value.",
                    parameterErrors(request, cve));
        }
        if (e instanceof ParamException pe) {
            String name = pe.getParameterName();
            DateTimeParameters.InvalidDateTime dateTime = find(pe, DateTimeParameters.InvalidDateTime.class);
            String why = dateTime != null ? dateTime.getMessage() : "invalid value";
            return problem(request, 400, ProblemCode.INVALID_PARAMETER, "Invalid value for parameter '" + name + "'.",
                    List.of(new ApiProblemException.FieldError(name, why, location(pe))));
        }
        if (e instanceof NotFoundException) {
            return problem(request, 404, ProblemCode.ROUTE_NOT_FOUND,
                    "No route matches " + method(request) + " " + path(request) + ".", List.of());
        }
        if (e instanceof NotAllowedException na) {
            // RFC 9110: a 405 names the methods the resource offers.
            Set<String> allowed = na.getResponse().getAllowedMethods();
            return builder(request, 405, ProblemCode.REQUEST_REJECTED,
                    method(request) + " is not offered here; allowed: " + String.join(", ", allowed) + ".",
                    List.of()).allow(allowed).build();
        }
        if (e instanceof NotSupportedException) {
            return problem(request, 415, ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be sent as " + MediaType.APPLICATION_JSON + ".", List.of());
        }
        if (e instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (status < 500) {
                return problem(request, status, ProblemCode.REQUEST_REJECTED,
                        wae.getMessage() == null ? "Request rejected." : wae.getMessage(), List.of());
            }
        }
        LOG.error("{} {} -> 500 (request {})", method(request), path(request), RequestIds.of(request), e);
        return problem(request, 500, ProblemCode.INTERNAL_ERROR,
                "Internal error; it has been logged with request id " + RequestIds.of(request) + ".", List.of());
    }

    private static Response problem(ContainerRequestContext request, int status, ProblemCode code, String detail,
                                    List<ApiProblemException.FieldError> errors) {
        return builder(request, status, code, detail, errors).build();
    }

    private static Response.ResponseBuilder builder(ContainerRequestContext request, int status, ProblemCode code,
                                                    String detail, List<ApiProblemException.FieldError> errors) {
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
            fieldErrors.add(new ProblemFieldError(fe.field(), fe.in(), fe.message()));
        }
        Problem body = new Problem("about:blank", code, title, status,
                detail, path(request), RequestIds.of(request), fieldErrors);
        Response.ResponseBuilder rb = Response.status(status).type(PROBLEM_JSON).entity(body);
        if (status == 503) {
            rb.header(HttpHeaders.RETRY_AFTER, "1");
        }
        if (status == 413 || status == 415) {
            // refused before its body was read: Jetty may close the connection rather than read the rest, and a
            // client told nothing would pool it and lose its next request on it (a POST is not retried)
            rb.header("Connection", "close");
        }
        return rb;
    }

    private static List<ApiProblemException.FieldError> parameterErrors(ContainerRequestContext request,
                                                                        ConstraintViolationException cve) {
        List<ApiProblemException.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : cve.getConstraintViolations()) {
            String name = parameterName(v.getPropertyPath());
            // Only path and query parameters are declared with constraints; the path template names the former.
            ProblemFieldLocation in = request != null && request.getUriInfo().getPathParameters().containsKey(name)
                    ? ProblemFieldLocation.PATH : ProblemFieldLocation.QUERY;
            errors.add(new ApiProblemException.FieldError(name, v.getMessage(), in));
        }
        errors.sort(Comparator.comparing(ApiProblemException.FieldError::field));
        return errors;
    }

    /**
     * "listExperimentSessions.pageSize" names the Java parameter; the client sent "page_size". A value of a
     * repeatable parameter ("listExperimentSessions.score.<list element>") is named by its parameter.
     */
    private static String parameterName(Path path) {
        String last = null;
        for (Path.Node node : path) {
            if (node.getKind() != jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
                last = node.getName();
            }
        }
        return last == null ? "parameter" : Names.snakeCase(last);
    }

    private static ProblemFieldLocation location(ParamException e) {
        if (e instanceof ParamException.PathParamException) {
            return ProblemFieldLocation.PATH;
        }
        if (e instanceof ParamException.HeaderParamException) {
            return ProblemFieldLocation.HEADER;
        }
        return ProblemFieldLocation.QUERY;
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
