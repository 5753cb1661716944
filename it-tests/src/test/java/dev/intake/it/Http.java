package dev.intake.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain HTTP client for what an SDK would never send: malformed input, unknown parameters, raw bodies. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private String authorization;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    Http(URI base) {
        this.base = base;
    }

    /** Sends {@code Authorization: Bearer <token>} from now on. */
    Http withBearer(String token) {
        return withAuthorization("Bearer " + token);
    }

    /** Sends this exact {@code Authorization} header value from now on (other schemes, malformed values). */
    Http withAuthorization(String value) {
        Http h = copy();
        h.authorization = value;
        return h;
    }

    /** Sends this extra header from now on. */
    Http withHeader(String name, String value) {
        Http h = copy();
        h.headers.put(name, value);
        return h;
    }

    private Http copy() {
        Http h = new Http(base);
        h.authorization = authorization;
        h.headers.putAll(headers);
        return h;
    }

    /** A response: status, headers, raw body, and the body parsed as JSON when it is JSON. */
    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("content-type").orElse("");
        }
    }

    Response get(String path) {
        return send(builder(path).GET());
    }

    Response head(String path) {
        return send(builder(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    Response delete(String path) {
        return send(builder(path).DELETE());
    }

    Response post(String path, Object body) {
        return send(builder(path).header("Content-Type", "application/json").POST(publisher(body)));
    }

    Response put(String path, Object body) {
        return send(builder(path).header("Content-Type", "application/json").PUT(publisher(body)));
    }

    /** Any method, with the body sent under these exact {@code Content-Type} values (none, one, several, malformed). */
    Response send(String method, String path, String body, String... contentTypes) {
        HttpRequest.Builder b = builder(path);
        for (String type : contentTypes) {
            b.header("Content-Type", type);
        }
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : publisher(body)));
    }

    private HttpRequest.Builder builder(String path) {
        // Not base.resolve(path): that would rewrite dot segments ("/x/." to "/x/"), which these tests send on purpose.
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        return b;
    }

    private static HttpRequest.BodyPublisher publisher(Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
