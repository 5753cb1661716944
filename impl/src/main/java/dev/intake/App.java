package dev.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.intake.analysis.AnalysisFeature;
import dev.intake.analysis.SessionSelections;
import dev.intake.auth.AuthFeature;
import dev.intake.config.AppConfig;
import dev.intake.config.AuthConfig;
import dev.intake.experiments.ExperimentsFeature;
import dev.intake.health.HealthFeature;
import dev.intake.ingest.IngestFeature;
import dev.intake.ingest.SessionRows;
import dev.intake.meta.MetaFeature;
import dev.intake.metrics.MetricsFeature;
import dev.intake.sessions.SessionsFeature;
import dev.intake.store.ClickHouseDataSources;
import dev.intake.store.LocalClickHouse;
import dev.intake.store.SchemaKeeper;
import dev.intake.store.SchemaState;
import dev.intake.store.Store;
import dev.intake.store.StoreProbe;
import dev.intake.store.Topology;
import dev.intake.web.AbortableResponses;
import dev.intake.web.ApiApplication;
import dev.intake.web.ConditionalGets;
import dev.intake.web.CursorExcludesPage;
import dev.intake.web.JettyProblemErrors;
import dev.intake.web.ApiJson;
import dev.intake.web.LogFields;
import dev.intake.web.SpecIndex;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.glassfish.jersey.jetty.JettyHttpContainerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds configuration → store → features → HTTP server in one readable method, and stops
 * them in reverse order. Each feature is built through its one door ({@code *Feature}); what one feature needs of
 * another is an interface of the feature that needs it, implemented here with the other's door.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Server server;

    private App() {
    }

    /**
     * Starts the service. With no {@code CLICKHOUSE_URL} it first starts the local engine; the HTTP server starts
     * even when ClickHouse is down (readiness says so).
     *
     * @param onFatal told when the service cannot go on (a migration was rejected)
     */
    public static App start(AppConfig config, Consumer<String> onFatal) throws Exception {
        return start(config, onFatal, List.of());
    }

    /**
     * Same, with extra JAX-RS providers (filters, interceptors) registered into the application; the contract
     * tests use it to validate every response against the spec.
     */
    public static App start(AppConfig config, Consumer<String> onFatal, List<Object> extraProviders) throws Exception {
        App app = new App();
        try {
            app.startAll(config, onFatal, extraProviders);
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private void startAll(AppConfig config, Consumer<String> onFatal, List<Object> extraProviders) throws Exception {
        MetricsFeature metrics = new MetricsFeature();
        closeables.add(metrics);
        String jdbcUrl = config.clickhouseUrl().orElse(null);
        if (jdbcUrl == null) {
            LocalClickHouse engine = LocalClickHouse.start(config.localClickhouseDir(), config.dataDir(), Duration.ofSeconds(60))
                    .onUnexpectedExit(onFatal);
            closeables.add(engine);
            jdbcUrl = engine.jdbcUrl();
        }
        HikariDataSource bootstrapPool = pool(config, jdbcUrl, null, 1, "clickhouse-bootstrap", metrics);
        HikariDataSource pool = pool(config, jdbcUrl, config.clickhouseDatabase(), config.poolSize(), "clickhouse", metrics);
        SchemaState schema = new SchemaState();
        Store bootstrap = new Store(bootstrapPool, config.queryTimeout(), schema, 1, metrics.statements(),
                LogFields::currentRequestId);
        Store store = new Store(pool, config.queryTimeout(), schema, config.poolSize(), metrics.statements(),
                LogFields::currentRequestId);
        Topology topology = config.clickhouseCluster().map(Topology::cluster).orElse(Topology.singleNode());
        SchemaKeeper keeper = new SchemaKeeper(bootstrap, store, config.clickhouseDatabase(), topology,
                config.retentionDays(), schema, onFatal, Duration.ofSeconds(2));
        closeables.add(keeper);
        keeper.start();

        ObjectMapper json = ApiJson.create();
        SpecIndex spec = SpecIndex.load();
        MetaFeature meta = new MetaFeature(spec);
        ExperimentsFeature experiments = new ExperimentsFeature(store);
        // rows that expire by a retention TTL leave without a write: then totals are counted per read, no ETags
        boolean everyChangeIsAWrite = config.retentionDays().isEmpty();
        SessionsFeature sessions = new SessionsFeature(store, experiments::exists, json, config.exportTimeout(),
                config.cursorSecret(), everyChangeIsAWrite);
        SessionRows sessionRows = new SessionRows() {
            @Override
            public void refresh(String workspace, List<String> sessionIds) {
                sessions.refresh(workspace, sessionIds);
            }

            @Override
            public boolean publishFirst(String workspace, Instant generation, List<FirstRow> rows) {
                return sessions.publishFirst(workspace, generation, rows.stream().map(r ->
                        new SessionsFeature.FirstRow(r.sessionId(), r.experimentName(), r.startedAt(),
                                r.rootSpanId(), r.testCaseId(), r.status(), r.input(), r.output(), r.endedAt(),
                                r.inputTokens(), r.outputTokens(), r.cachedTokens(), r.costMicroUsd(),
                                r.evaluatorScores(), r.booleanEvaluators())).toList());
            }
        };
        IngestFeature ingest = new IngestFeature(store, json, experiments::exists, sessionRows,
                metrics::ingestWritten);
        SessionSelections selections = (workspace, name, filters) -> {
            SessionsFeature.Selection s = sessions.select(workspace, name, filters);
            return new SessionSelections.Selected(s.sqlParts(), s.params(), s.filters());
        };
        List<Object> resources = List.of(
                meta.resource(),
                metrics.resource(),
                new HealthFeature(new StoreProbe(store, schema), config.auth().mode()).resource(),
                experiments.resource(json, Clock.systemUTC(), sessions::retireExperiment),
                ingest.resource(),
                sessions.resource(),
                new AnalysisFeature(store, experiments::exists, selections).resource());
        List<Object> filters = new ArrayList<>(extraProviders);
        AuthFeature auth = AuthFeature.create(config.auth(), spec);
        closeables.add(auth);
        filters.add(auth.filter());
        filters.add(new CursorExcludesPage(spec));
        if (everyChangeIsAWrite) {
            filters.add(new ConditionalGets(spec, sessions.versions(), config.answerCacheBytes(), metrics.answers()));
        }
        if (config.auth().mode() == AuthConfig.Mode.DISABLED) {
            LOG.warn("AUTH_MODE=disabled: every request is allowed. Use AUTH_MODE=jwt outside development.");
        }
        server = JettyHttpContainerFactory.createServer(URI.create("http://" + config.bindHost() + ":" + config.port() + "/"),
                new ApiApplication(resources, filters, spec, json, config.maxBodyBytes(), ingest.bodyRules(),
                        metrics.requests()), false);
        server.setHandler(new Handler.Sequence(meta.docsAssets(), server.getHandler()));
        // createServer(uri, app) would bind 0.0.0.0 whatever the URI says; bind the configured host only.
        ((ServerConnector) server.getConnectors()[0]).setHost(config.bindHost());
        server.setHandler(new AbortableResponses(server.getHandler()));
        server.setErrorHandler(new JettyProblemErrors());
        // Stopping (SIGTERM, or the engine died) closes the port at once, lets requests in flight finish for up to
        // the grace period, and only then stops the store under them.
        server.setHandler(new GracefulHandler(server.getHandler()));
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.start();
        LOG.info("Intake API listening on {}", baseUri());
    }

    private HikariDataSource pool(AppConfig config, String jdbcUrl, String database, int size, String name,
                                  MetricsFeature metrics) {
        HikariDataSource ds = ClickHouseDataSources.pool(jdbcUrl, config.clickhouseUser(), config.clickhousePassword(),
                database, config.connectTimeout(), config.queryTimeout(), size, name, config.clickhouseCluster().isPresent(),
                metrics.pools());
        closeables.add(ds);
        return ds;
    }

    /** The base URI the server listens on, with the real port when PORT=0. */
    public URI baseUri() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        return URI.create("http://" + c.getHost() + ":" + c.getLocalPort());
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("HTTP server did not stop cleanly", e);
            }
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("Failed to close {}", closeables.get(i), e);
            }
        }
        closeables.clear();
    }

}
