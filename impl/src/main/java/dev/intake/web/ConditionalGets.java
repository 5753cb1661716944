package dev.intake.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ETags and conditional GETs for every operation that reads the store. An ETag is a version of what the answer
 * depends on (a write count kept by the store itself, so it is the same on every instance) plus a digest of the
 * request's path and query, so one version stands for one answer of one request. A GET whose
 * {@code If-None-Match} names the current ETag is answered 304 after one small version read, without running the
 * operation.
 * <p>
 * The version is read before the answer's data (or, for the session list, in the same statement), so an ETag is
 * never newer than the answer it labels: a write between the two makes the next conditional request a 200, never
 * a stale 304. Weak ETags: two answers of one version can differ in a cursor's read time, not in meaning.
 */
@Priority(Priorities.USER + 100)
public final class ConditionalGets implements ContainerRequestFilter, ContainerResponseFilter {
    /** The versions behind ETags, owned by whoever keeps them. */
    public interface Versions {
        /** The current version of these scopes of a workspace: experiment names, or '' for its experiment list. */
        long current(String workspace, List<String> scopes);
    }

    /** Operations that read the store, each with the path or query parameters naming the experiments it reads. */
    private static final Map<String, List<String>> SCOPES = Map.of(
            "listExperiments", List.of(),
            "getExperiment", List.of("name"),
            "listExperimentSessions", List.of("name"),
            "exportExperimentSessions", List.of("name"),
            "getExperimentStats", List.of("name"),
            "listExperimentTestCases", List.of("name"),
            "compareExperiments", List.of("name", "baseline"));
    /** Operations that find their version in the statement that reads their answer ({@link #answeredAt}). */
    private static final List<String> VERSION_IN_ANSWER = List.of("listExperimentSessions");
    private static final String VERSION = ConditionalGets.class.getName() + ".version";
    private static final ThreadLocal<Long> ANSWERED_AT = new ThreadLocal<>();

    private final SpecIndex spec;
    private final Versions versions;

    public ConditionalGets(SpecIndex spec, Versions versions) {
        this.spec = spec;
        this.versions = versions;
    }

    /**
     * Called by a resource of {@link #VERSION_IN_ANSWER} with the version its answer was read at (same thread as
     * the request's filters).
     */
    public static void answeredAt(long version) {
        ANSWERED_AT.set(version);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ANSWERED_AT.remove();
        Optional<SpecIndex.Operation> op = operation(request);
        if (op.isEmpty()) {
            return;
        }
        String ifNoneMatch = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch == null && VERSION_IN_ANSWER.contains(op.get().operationId())) {
            return;
        }
        long version = versions.current(workspace(request), scopes(request, op.get()));
        request.setProperty(VERSION, version);
        String tag = tag(request, version);
        if (ifNoneMatch != null && matches(ifNoneMatch, tag)) {
            request.abortWith(Response.notModified().header(HttpHeaders.ETAG, tag).build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Long answered = ANSWERED_AT.get();
        ANSWERED_AT.remove();
        if (response.getStatus() != 200 || operation(request).isEmpty()) {
            return;
        }
        Long version = answered != null ? answered : (Long) request.getProperty(VERSION);
        if (version != null) {
            response.getHeaders().putSingle(HttpHeaders.ETAG, tag(request, version));
        }
    }

    private Optional<SpecIndex.Operation> operation(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Optional.empty();
        }
        return MatchedOperation.of(request, spec).filter(o -> SCOPES.containsKey(o.operationId()));
    }

    private static String workspace(ContainerRequestContext request) {
        return request.getUriInfo().getPathParameters().getFirst("workspace");
    }

    private static List<String> scopes(ContainerRequestContext request, SpecIndex.Operation op) {
        List<String> names = SCOPES.get(op.operationId()).stream().map(p -> {
            String v = request.getUriInfo().getPathParameters().getFirst(p);
            return v != null ? v : Optional.ofNullable(request.getUriInfo().getQueryParameters().getFirst(p)).orElse("");
        }).toList();
        return names.isEmpty() ? List.of("") : names;
    }

    /** W/"version-digest": the version, and a digest of the path and the query as sent. */
    private static String tag(ContainerRequestContext request, long version) {
        String target = request.getUriInfo().getRequestUri().getRawPath() + "?"
                + Optional.ofNullable(request.getUriInfo().getRequestUri().getRawQuery()).orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            return "W/\"" + version + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
                    .substring(0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Weak comparison (RFC 9110 13.1.2): any listed tag equal to ours, ignoring the W/ prefix. */
    static boolean matches(String ifNoneMatch, String tag) {
        String opaque = opaque(tag);
        for (String candidate : ifNoneMatch.split(",")) {
            if (opaque(candidate.strip()).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
