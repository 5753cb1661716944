package dev.intake.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.io.OutputStream;
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
 * <p>
 * The same versions let an instance answer a repeated read from memory ({@link Answers}): a 200 is kept with the
 * version it was read at, and the same request (same path, query and {@code Accept}) is answered with it while that
 * version is still current, after the one version read a 304 costs. A request with {@code Cache-Control: no-cache}
 * is always read from the store ({@code no-store}: and not kept). Streamed exports are never kept.
 */
@Priority(Priorities.USER + 100)
public final class ConditionalGets implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {
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
    /** Operations whose answers are never kept: a streamed file. */
    private static final List<String> NEVER_KEPT = List.of("exportExperimentSessions");
    private static final String VERSION = ConditionalGets.class.getName() + ".version";
    private static final String SERVED_KEPT = ConditionalGets.class.getName() + ".servedKept";
    private static final String KEEP = ConditionalGets.class.getName() + ".keep";
    private static final String KEY = ConditionalGets.class.getName() + ".key";
    private static final ThreadLocal<Long> ANSWERED_AT = new ThreadLocal<>();

    /** What the writer interceptor keeps of an answer being written. */
    private record Keep(String key, long version, String mediaType) {
    }

    private final SpecIndex spec;
    private final Versions versions;
    private final Answers answers;
    private final AnswerObserver observer;

    /**
     * @param answerBytes the answers kept in memory, in bytes of their bodies; 0 keeps none
     * @param observer    told, for every request that could be answered from them, what they held
     */
    public ConditionalGets(SpecIndex spec, Versions versions, long answerBytes, AnswerObserver observer) {
        this.spec = spec;
        this.versions = versions;
        this.answers = answerBytes > 0 ? new Answers(answerBytes) : null;
        this.observer = observer;
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
        String key = answerKey(request, op.get());
        if (key != null) {
            request.setProperty(KEY, key);
        }
        key = servesKept(request) ? key : null;
        Answers.Answer kept = key == null ? null : answers.get(key);
        if (ifNoneMatch == null && kept == null && VERSION_IN_ANSWER.contains(op.get().operationId())) {
            if (key != null) {
                observer.looked(op.get().operationId(), AnswerObserver.Outcome.MISSING);
            }
            return;
        }
        long version = versions.current(workspace(request), scopes(request, op.get()));
        request.setProperty(VERSION, version);
        String tag = tag(request, version);
        if (ifNoneMatch != null && matches(ifNoneMatch, tag)) {
            request.abortWith(Response.notModified().header(HttpHeaders.ETAG, tag).build());
        } else if (kept != null && kept.version() == version) {
            request.setProperty(SERVED_KEPT, Boolean.TRUE);
            observer.looked(op.get().operationId(), AnswerObserver.Outcome.SERVED);
            request.abortWith(Response.ok(kept.body(), kept.mediaType()).build());
        } else if (key != null) {
            observer.looked(op.get().operationId(),
                    kept == null ? AnswerObserver.Outcome.MISSING : AnswerObserver.Outcome.STALE);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Long answered = ANSWERED_AT.get();
        ANSWERED_AT.remove();
        Optional<SpecIndex.Operation> op = operation(request);
        if (response.getStatus() != 200 || op.isEmpty()) {
            return;
        }
        Long version = answered != null ? answered : (Long) request.getProperty(VERSION);
        if (version != null) {
            response.getHeaders().putSingle(HttpHeaders.ETAG, tag(request, version));
            String key = request.getProperty(SERVED_KEPT) == null && !cacheControl(request, "no-store")
                    ? (String) request.getProperty(KEY) : null;
            if (key != null && response.getMediaType() != null) {
                request.setProperty(KEEP, new Keep(key, version, response.getMediaType().toString()));
            }
        }
    }

    /** Copies the body of an answer to keep as it is written, and keeps it once written whole. */
    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(KEEP) instanceof Keep keep)) {
            context.proceed();
            return;
        }
        OutputStream original = context.getOutputStream();
        Answers.Copy copying = answers.copying(original);
        context.setOutputStream(copying);
        try {
            context.proceed();
        } finally {
            context.setOutputStream(original);
        }
        byte[] body = copying.copied();
        if (body != null) {
            answers.put(keep.key(), new Answers.Answer(keep.version(), keep.mediaType(), body));
        }
    }

    /** Whether this request may be answered with a kept answer: it does not ask otherwise. */
    private static boolean servesKept(ContainerRequestContext request) {
        return !cacheControl(request, "no-cache") && !cacheControl(request, "no-store");
    }

    private static boolean cacheControl(ContainerRequestContext request, String directive) {
        for (String value : request.getHeaders().getOrDefault(HttpHeaders.CACHE_CONTROL, List.of())) {
            for (String part : value.split(",")) {
                if (part.strip().toLowerCase(java.util.Locale.ROOT).equals(directive)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What an answer is kept under: the path and query as sent, and the {@code Accept} header (which picks the
     * representation, or a 406); null when answers are not kept, or never for this operation.
     */
    private String answerKey(ContainerRequestContext request, SpecIndex.Operation op) {
        if (answers == null || NEVER_KEPT.contains(op.operationId())) {
            return null;
        }
        return target(request) + "\n" + Optional.ofNullable(request.getHeaderString(HttpHeaders.ACCEPT)).orElse("");
    }

    private static String target(ContainerRequestContext request) {
        return request.getUriInfo().getRequestUri().getRawPath() + "?"
                + Optional.ofNullable(request.getUriInfo().getRequestUri().getRawQuery()).orElse("");
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
        String target = target(request);
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
