package dev.intake.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The issuer's JWKS endpoint, played by WireMock: serves a key set, or fails. */
final class JwksStub implements AutoCloseable {
    private static final String PATH = "/.well-known/jwks.json";
    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    JwksStub() {
        server.start();
        warmUp();
    }

    /**
     * Answers one request before any test sees this stub: a cold WireMock on a busy machine can take longer than the
     * server's 0.5 s JWKS read timeout to answer its first request, which made a test's first fetch a 503 at random.
     * The request is then forgotten, so {@link #fetches()} counts only the server's.
     */
    private void warmUp() {
        server.stubFor(get(PATH).willReturn(okJson("{\"keys\":[]}")));
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url())).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.resetAll();
    }

    JwksStub serve(TestIssuer issuer) {
        server.resetMappings();
        server.stubFor(get(PATH).willReturn(okJson(issuer.jwksJson())));
        return this;
    }

    JwksStub failWith(int status) {
        server.resetMappings();
        server.stubFor(get(PATH).willReturn(aResponse().withStatus(status).withBody("down")));
        return this;
    }

    int fetches() {
        return server.countRequestsMatching(getRequestedFor(urlEqualTo(PATH)).build()).getCount();
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + PATH;
    }

    @Override
    public void close() {
        server.stop();
    }
}
