package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The docs page in a real browser: Debian's headless Chromium (installed by bin/install-browser, which bin/test
 * runs) driven by Selenium through chromedriver. The page must render every operation of the spec, open one with
 * its parameters, load nothing from outside the server, and log no console error; a screenshot is kept in
 * {@code target/docs-page.png}.
 */
@ExtendWith(ContractChecked.class)
class DocsPageIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws IOException {
        assertThat(CHROMIUM).as("Chromium (run bin/install-browser)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver (run bin/install-browser)").isExecutable();
        profile = Files.createTempDirectory("docs-page-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Offline and quiet: no sandbox (root in CI), no GPU, none of Chromium's own calls home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1280,1600");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theStartPageLinksToTheDocsPage() {
        Http http = TestServer.shared().awaitReady(Duration.ofSeconds(60)).http();

        Http.Response start = http.get("/");

        assertThat(start.status()).isEqualTo(200);
        assertThat(start.contentType()).startsWith("text/html");
        assertThat(start.body()).contains("href=\"/docs\"", "href=\"/openapi.yaml\"", "href=\"/metrics\"");
        Http.Response docs = http.get("/docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("text/html");
        Http.Response script = http.get("/docs/assets/swagger-ui-bundle.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).contains("javascript");
    }

    @Test
    void rendersEveryOperationAndOneOperationsParametersWithoutConsoleErrors() throws IOException {
        String base = TestServer.shared().awaitReady(Duration.ofSeconds(60)).baseUri().toString();
        OpenAPI spec = new OpenAPIV3Parser().read(ContractIT.SPEC.toString());
        List<String> operationIds = new ArrayList<>();
        spec.getPaths().values().forEach(item -> item.readOperations().forEach(op -> operationIds.add(op.getOperationId())));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get(base + "/docs");

        wait.until(b -> b.findElements(By.cssSelector(".opblock")).size() == operationIds.size());
        Set<String> rendered = new TreeSet<>();
        for (WebElement block : browser.findElements(By.cssSelector(".opblock"))) {
            rendered.add(block.getAttribute("id").replaceFirst("^operations-[^-]+-", ""));
        }
        assertThat(rendered).as("operations rendered").containsExactlyInAnyOrderElementsOf(operationIds);

        WebElement sessions = browser.findElement(By.id("operations-ExperimentSessions-listExperimentSessions"));
        sessions.findElement(By.cssSelector(".opblock-summary-control")).click();
        wait.until(b -> !sessions.findElements(By.cssSelector("tr[data-param-name]")).isEmpty());
        Set<String> shown = new TreeSet<>();
        for (WebElement row : sessions.findElements(By.cssSelector("tr[data-param-name]"))) {
            shown.add(row.getAttribute("data-param-name"));
        }
        assertThat(shown).as("parameters of listExperimentSessions")
                .isEqualTo(parameterNames(spec, "/apis/intake/v2/workspaces/{workspace}/experiments/{name}/sessions"))
                .contains("page", "page_size", "status", "test_case_id");

        Path screenshot = Path.of("target", "docs-page.png");
        Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isPositive();

        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(loaded).as("everything the page loaded").isNotEmpty().allMatch(url -> url.startsWith(base + "/"));
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
        assertThat(errors).as("console errors").isEmpty();
    }

    /** The parameter names of the GET operation at {@code path}, path-level ones included. */
    private static Set<String> parameterNames(OpenAPI spec, String path) {
        PathItem item = spec.getPaths().get(path);
        Operation get = item.getGet();
        Set<String> names = new TreeSet<>();
        for (List<Parameter> list : java.util.Arrays.asList(item.getParameters(), get.getParameters())) {
            if (list != null) {
                list.forEach(p -> names.add(resolve(spec, p).getName()));
            }
        }
        return names;
    }

    private static Parameter resolve(OpenAPI spec, Parameter p) {
        if (p.get$ref() == null) {
            return p;
        }
        return spec.getComponents().getParameters().get(p.get$ref().replaceFirst(".*/", ""));
    }
}
