package dev.intake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The Intake API over HTTP/1.1 with keep-alive (java.net.http); one instance is shared by all client threads. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String workspace;

    /** A response: status, body, the client-side wall time from send to the last byte, and its ETag (or null). */
    public record Reply(int status, byte[] body, long nanos, String etag) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Api(String base, String workspace) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.workspace = workspace;
    }

    public String workspace() {
        return workspace;
    }

    /** A path under the workspace, e.g. {@code experiments/x/sessions?page=1}. */
    public URI uri(String pathInWorkspace) {
        return URI.create(base + "/apis/intake/v2/workspaces/" + workspace + "/" + pathInWorkspace);
    }

    /** A path of the service outside the workspaces, e.g. {@code /health/live}. */
    public URI root(String path) {
        return URI.create(base + path);
    }

    /**
     * A GET read from the store: with {@code Cache-Control: no-cache}, so a request repeated while nothing changes
     * is not answered from the answers an instance keeps in memory (what {@link #getKept} measures). Every figure
     * but the kept-answer scenario is the cost of reading the store.
     */
    public Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Cache-Control", "no-cache")
                .GET().build());
    }

    /** A plain GET, which an instance may answer from the answers it keeps while the store's version is unchanged. */
    public Reply getKept(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build());
    }

    /** A conditional GET: {@code If-None-Match} with {@code etag}. */
    public Reply get(URI uri, String etag) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("If-None-Match", etag)
                .header("Cache-Control", "no-cache").GET().build());
    }

    /** The ETag of the current answer at {@code uri}; fails when there is none. */
    public String etag(URI uri) {
        Reply r = get(uri);
        if (r.status() != 200 || r.etag() == null) {
            throw new IllegalStateException("no ETag from " + uri + ": " + r.status());
        }
        return r.etag();
    }

    public Reply post(String pathInWorkspace, byte[] json) {
        return send(HttpRequest.newBuilder(uri(pathInWorkspace)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    public Reply postJson(String pathInWorkspace, Object body) {
        try {
            return post(pathInWorkspace, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body(), System.nanoTime() - start,
                    r.headers().firstValue("ETag").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
