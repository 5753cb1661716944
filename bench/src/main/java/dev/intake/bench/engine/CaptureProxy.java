package dev.intake.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A recording HTTP proxy in front of the ClickHouse engine, used only to learn which statements the API runs for
 * a request (never while timing). While a scenario is marked ({@code POST /__bench/mark?scenario=NAME}), every
 * request passing through is appended to a JSON-lines file as a {@link Statement}; {@code scenario=} (empty) stops
 * recording. Following the statements the server really sends, instead of a copy of today's SQL, keeps the engine
 * figures right when the SQL files or their number change.
 */
public final class CaptureProxy implements AutoCloseable {
    /** Headers java.net.http sets itself or refuses, and credentials we do not want in a file. */
    private static final Set<String> SKIPPED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "authorization", "te", "http2-settings", "date", "from", "via", "warning");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final BufferedWriter log;
    private volatile String scenario = "";

    public CaptureProxy(int port, String target, Path file) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        this.log = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/__bench/mark", this::mark);
        server.createContext("/", this::forward);
        server.start();
    }

    private void mark(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        scenario = query == null ? "" : java.net.URLDecoder.decode(query.replaceFirst("^scenario=", ""),
                StandardCharsets.UTF_8);
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = URI.create(target + ex.getRequestURI().toString());
            HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                    .method(ex.getRequestMethod(), body.length == 0 && "GET".equals(ex.getRequestMethod())
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            Map<String, String> kept = new TreeMap<>();
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (!SKIPPED.contains(name)) {
                    for (String v : h.getValue()) {
                        req.header(h.getKey(), v);
                    }
                    kept.put(name, String.join(",", h.getValue()));
                }
            }
            String current = scenario;
            if (!current.isEmpty()) {
                record(new Statement(current, ex.getRequestURI().toString(), kept,
                        new String(body, StandardCharsets.UTF_8)));
            }
            HttpResponse<byte[]> res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            res.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("content-length") && !lower.equals("transfer-encoding")
                        && !lower.equals("connection") && !lower.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = res.body();
            ex.sendResponseHeaders(res.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void record(Statement s) throws IOException {
        log.write(JSON.writeValueAsString(s));
        log.newLine();
        log.flush();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        log.close();
    }
}
