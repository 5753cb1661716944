package dev.intake.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** The issuer's JWKS endpoint, played by WireMock: serves a key set, or fails. */
final class JwksStub implements AutoCloseable {
    private static final String PATH = "/.well-known/jwks.json";
    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    JwksStub() {
        server.start();
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
