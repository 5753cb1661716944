package dev.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.intake.analysis.AnalysisResource;
import dev.intake.auth.AuthFilter;
import dev.intake.config.AppConfig;
import dev.intake.experiments.ExperimentsResource;
import dev.intake.experiments.ExperimentsStore;
import dev.intake.health.HealthResource;
import dev.intake.ingest.AtifRules;
import dev.intake.ingest.IngestResource;
import dev.intake.ingest.IngestWriter;
import dev.intake.meta.DocsAssets;
import dev.intake.meta.OpenApiResource;
import dev.intake.metrics.Metrics;
import dev.intake.metrics.MetricsResource;
import dev.intake.sessions.ExperimentVersions;
import dev.intake.sessions.SessionIndex;
import dev.intake.sessions.SessionsResource;
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
import dev.intake.web.JsonMapper;
import dev.intake.web.LogFields;
import dev.intake.web.SpecIndex;
import java.net.URI;
import java.time.Duration;
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
 * them in reverse order.
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
        Metrics metrics = new Metrics();
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

        ObjectMapper json = JsonMapper.create();
        SpecIndex spec = SpecIndex.load();
        ExperimentsStore experiments = new ExperimentsStore(store);
        SessionIndex sessionIndex = new SessionIndex(store);
        List<Object> resources = List.of(
                new OpenApiResource(spec),
                new MetricsResource(metrics),
                new HealthResource(new StoreProbe(store, schema), config.auth().mode()),
                new ExperimentsResource(experiments, json,
                        e -> sessionIndex.retireExperiment(e.workspace(), e.name())),
                new IngestResource(new IngestWriter(store, experiments, sessionIndex, json, metrics.ingest())),
                new SessionsResource(store, experiments, json, config.exportTimeout(), config.cursorSecret(),
                        config.retentionDays().isEmpty()),
                new AnalysisResource(store, experiments));
        List<Object> filters = new ArrayList<>(extraProviders);
        AuthFilter auth = AuthFilter.create(config.auth(), spec);
        closeables.add(auth);
        filters.add(auth);
        filters.add(new CursorExcludesPage(spec));
        if (config.retentionDays().isEmpty()) {
            // rows that expire by TTL leave without a write, so versions would not see them go: no ETags then
            filters.add(new ConditionalGets(spec, new ExperimentVersions(store)));
        }
        if (config.auth().mode() == dev.intake.config.AuthConfig.Mode.DISABLED) {
            LOG.warn("AUTH_MODE=disabled: every request is allowed. Use AUTH_MODE=jwt outside development.");
        }
        server = JettyHttpContainerFactory.createServer(URI.create("http://" + config.bindHost() + ":" + config.port() + "/"),
                new ApiApplication(resources, filters, spec, json, config.maxBodyBytes(), AtifRules.byBodyType(),
                        metrics.requests()), false);
        server.setHandler(new Handler.Sequence(DocsAssets.handler(), server.getHandler()));
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
                                  Metrics metrics) {
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
