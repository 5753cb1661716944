package dev.intake.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every property a request body has that its schema does not declare (the spec says
 * {@code additionalProperties: false}), so one 422 can list them all. One per read of a body, given to that read
 * alone ({@code ObjectReader.withHandler}); without it, the API's mapper fails at the first unknown property.
 */
final class UnknownPropertyCollector extends DeserializationProblemHandler {
    private final List<ApiProblemException.FieldError> collected = new ArrayList<>();

    /** The unknown properties met so far, in order. */
    List<ApiProblemException.FieldError> collected() {
        return collected;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
        // The parser stands on the property's value; for an object or array value it has entered a child context.
        JsonStreamContext holder = p.getParsingContext();
        if (p.currentToken() != null && p.currentToken().isStructStart()) {
            holder = holder.getParent();
        }
        collected.add(new ApiProblemException.FieldError(JsonPaths.of(holder.getParent(), propertyName),
                "unknown property"));
        p.skipChildren();
        return true;
    }

    /** Builds {@code $.a[0].b} paths from Jackson's parsing context. */
    static final class JsonPaths {
        private JsonPaths() {
        }

        static String of(JsonStreamContext context, String last) {
            List<String> parts = new ArrayList<>();
            for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    parts.add(0, "[" + c.getCurrentIndex() + "]");
                } else if (c.getCurrentName() != null) {
                    parts.add(0, "." + c.getCurrentName());
                }
            }
            StringBuilder sb = new StringBuilder("$");
            parts.forEach(sb::append);
            if (last != null) {
                sb.append('.').append(last);
            }
            return sb.toString();
        }
    }
}
