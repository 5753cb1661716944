package dev.intake;

import dev.intake.config.AppConfig;
import dev.intake.store.SchemaKeeper;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Runs the service until SIGTERM/Ctrl-C, then stops it (and the local engine, if it started one). */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        AppConfig config;
        try {
            config = AppConfig.fromEnvironment();
        } catch (AppConfig.ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        App app;
        try {
            app = App.start(config, fatal -> {
                LOG.error("Stopping: {}", fatal);
                new Thread(() -> System.exit(3), "fatal-exit").start(); // runs the shutdown hook below
            });
        } catch (SchemaKeeper.MigrationFailedException e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Intake API ready at " + app.baseUri() + "  (Ctrl-C to stop)");
        stopped.await();
    }
}
