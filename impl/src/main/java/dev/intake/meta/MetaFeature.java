package dev.intake.meta;

import dev.intake.web.SpecIndex;
import org.eclipse.jetty.server.Handler;

/** The meta pages' one door: the OpenAPI document, the start and docs pages, and the docs page's static files. */
public final class MetaFeature {
    private final OpenApiResource resource;

    public MetaFeature(SpecIndex spec) {
        this.resource = new OpenApiResource(spec);
    }

    public Object resource() {
        return resource;
    }

    /** A Jetty handler that serves the docs page's files (Swagger UI) and lets every other request through. */
    public Handler docsAssets() {
        return DocsAssets.handler();
    }
}
