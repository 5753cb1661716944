package dev.intake.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/** The shared engine behind a WireMock proxy that can be made slow: every statement then takes a fixed delay. */
final class SlowStore implements AutoCloseable {
    private final WireMockServer proxy;
    private final String engineHttp;

    SlowStore() {
        engineHttp = Engine.jdbcUrl().replace("jdbc:clickhouse://", "http://").replaceAll("\\?.*", "");
        proxy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(64));
        proxy.start();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(engineHttp)));
    }

    String jdbcUrl() {
        return "jdbc:clickhouse://127.0.0.1:" + proxy.port() + "?compress=false";
    }

    /** From now on every statement takes this long (the engine's own time included). */
    void delayEveryStatement(int millis) {
        proxy.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().proxiedFrom(engineHttp).withFixedDelay(millis)));
    }

    @Override
    public void close() {
        proxy.stop();
    }
}
