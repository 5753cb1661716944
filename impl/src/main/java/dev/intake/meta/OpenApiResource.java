package dev.intake.meta;

import dev.intake.api.MetaApi;
import dev.intake.web.SpecIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the OpenAPI document exactly as committed (the api-spec jar's bytes), never a re-serialization, and the
 * pages that lead to it in a browser: the start page and the docs page (Swagger UI, its files served by
 * {@link DocsAssets}).
 */
final class OpenApiResource implements MetaApi {
    private final String document;
    private final String indexPage = page("index.html");
    private final String docsPage = page("docs.html");

    OpenApiResource(SpecIndex spec) {
        this.document = new String(spec.document(), StandardCharsets.UTF_8);
    }

    @Override
    public String getIndexPage() {
        return indexPage;
    }

    @Override
    public String getDocsPage() {
        return docsPage;
    }

    private static String page(String file) {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " missing beside " + OpenApiResource.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    @Override
    public String getOpenApiDocument() {
        return document;
    }
}
