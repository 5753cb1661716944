package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Python and TypeScript SDKs generated from the spec (by {@code sdks/build}, before the integration tests) run
 * their round-trip suites against the real server: {@code pytest sdks/python/tests} and {@code node --test} on the
 * compiled {@code sdks/typescript/test}. Besides the shared server, the suites get a server whose store is down (503),
 * one with a tiny body limit (413) and one that verifies JWTs (401, 403), so every declared error status reaches the
 * SDKs' problem types. Every answer they cause is checked against the spec like any other.
 */
@ExtendWith(ContractChecked.class)
class SdkRoundTripIT {
    static final Path SDKS = Path.of(System.getProperty("sdks.dir", "../sdks")).toAbsolutePath().normalize();

    @RegisterExtension
    static final JwtFixture jwt = new JwtFixture();

    static TestServer storeDown;
    static TestServer smallBodies;
    static String tokenWithoutRole;

    @BeforeAll
    static void start() {
        storeDown = TestServer.withStoreDown();
        smallBodies = TestServer.withBodyLimit(1024);
        TestServer.shared().awaitReady(Duration.ofSeconds(60));
        tokenWithoutRole = jwt.issuer.token().scope("intake:read intake:write").sign();
        // The JWT server fetches the issuer's key set on first use, and counts a fetch slower than 0.5 s as the issuer
        // being down (503); on a loaded machine the first fetch can be that slow. The suites test 401 and 403, so
        // the key set is fetched here first.
        Instant deadline = Instant.now().plusSeconds(30);
        while (jwt.server.http().withBearer(tokenWithoutRole).get("/apis/intake/v2/workspaces/warm-up/experiments")
                .status() == 503 && Instant.now().isBefore(deadline)) {
            TestServer.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        storeDown.close();
        smallBodies.close();
    }

    @Test
    void pythonSdkRoundTrips() throws Exception {
        run("pytest", List.of(SDKS.resolve("target/venv/bin/python").toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "python/tests"),
                Map.of("PYTHONPATH", SDKS.resolve("target/python").toString()));
    }

    @Test
    void typescriptSdkRoundTrips() throws Exception {
        run("node --test", List.of("node", "--test", "target/typescript-test/typescript/test/"), Map.of());
    }

    /** Runs one suite in {@code sdks/} with the servers' addresses in its environment; fails with its output. */
    private static void run(String name, List<String> command, Map<String, String> extraEnv) throws Exception {
        Path log = Files.createTempFile("sdk-suite", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(SDKS.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("INTAKE_BASE_URL", TestServer.shared().baseUri().toString());
        env.put("INTAKE_WORKSPACE", "sdk-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("INTAKE_STORE_DOWN_URL", storeDown.baseUri().toString());
        env.put("INTAKE_SMALL_BODY_URL", smallBodies.baseUri().toString());
        env.put("INTAKE_JWT_URL", jwt.server.baseUri().toString());
        // A valid token that grants nothing in the workspace: 403. No token at all: 401.
        env.put("INTAKE_JWT_TOKEN_WITHOUT_ROLE", tokenWithoutRole);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        System.out.println("== " + name + " ==\n" + output);
        assertThat(done).as(name + " did not finish within 5 minutes:\n" + output).isTrue();
        assertThat(p.exitValue()).as(name + " failed:\n" + output).isZero();
    }
}
