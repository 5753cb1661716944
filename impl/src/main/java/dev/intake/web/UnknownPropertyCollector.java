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
 * {@code additionalProperties: false}), so one 422 can list them all. Outside a body read it fails at once.
 */
final class UnknownPropertyCollector extends DeserializationProblemHandler {
    private static final ThreadLocal<List<ApiProblemException.FieldError>> COLLECTED = new ThreadLocal<>();

    /** Starts collecting for the body being read on this thread. */
    static List<ApiProblemException.FieldError> begin() {
        List<ApiProblemException.FieldError> list = new ArrayList<>();
        COLLECTED.set(list);
        return list;
    }

    static void end() {
        COLLECTED.remove();
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
        List<ApiProblemException.FieldError> list = COLLECTED.get();
        if (list == null) {
            return false;
        }
        // The parser stands on the property's value; for an object or array value it has entered a child context.
        JsonStreamContext holder = p.getParsingContext();
        if (p.currentToken() != null && p.currentToken().isStructStart()) {
            holder = holder.getParent();
        }
        list.add(new ApiProblemException.FieldError(JsonPaths.of(holder.getParent(), propertyName),
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
