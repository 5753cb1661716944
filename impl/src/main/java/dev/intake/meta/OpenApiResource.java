package dev.intake.meta;

import dev.intake.api.MetaApi;
import dev.intake.web.SpecIndex;
import java.nio.charset.StandardCharsets;

/** Serves the OpenAPI document exactly as committed (the api-spec jar's bytes), never a re-serialization. */
public final class OpenApiResource implements MetaApi {
    private final String document;

    public OpenApiResource(SpecIndex spec) {
        this.document = new String(spec.document(), StandardCharsets.UTF_8);
    }

    @Override
    public String getOpenApiDocument() {
        return document;
    }
}
