package dev.intake.meta;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Serves Swagger UI's scripts, styles and icons under {@code /docs/assets/} straight from the Swagger UI webjar on
 * the class path, for the {@code /docs} page. These are static files of a library, not operations of the API, so
 * they are served by Jetty beside the application rather than declared in the spec.
 */
final class DocsAssets {
    /** The URL path the {@code /docs} page loads its files from. */
    static final String PATH = "/docs/assets";
    private static final String WEBJAR = "org.webjars/swagger-ui";

    private DocsAssets() {
    }

    /** A handler that answers {@code /docs/assets/*} and lets every other request through. */
    static Handler handler() {
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newClassLoaderResource(
                "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/"));
        files.setDirAllowed(false);
        files.setWelcomeFiles(List.of());
        // The files change only with the webjar version, which a new server build brings.
        files.setCacheControl("public, max-age=3600");
        return new ContextHandler(files, PATH);
    }

    /** The packaged webjar's version, so the build's version choice is the only place it is written. */
    private static String webjarVersion() {
        String path = "META-INF/maven/" + WEBJAR + "/pom.properties";
        try (InputStream in = DocsAssets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Swagger UI webjar not on the class path (" + path + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
