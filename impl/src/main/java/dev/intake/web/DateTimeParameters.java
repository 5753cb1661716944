package dev.intake.web;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads {@code format: date-time} query parameters (ISO-8601 with an offset, e.g. {@code 2026-11-26T10:00:00Z}) into
 * the {@link OffsetDateTime} the generated interfaces declare; JAX-RS has no converter for it. A malformed value
 * fails the conversion, which the problem mapper answers with a 400 naming the parameter.
 */
public final class DateTimeParameters implements ParamConverterProvider {
    private static final ParamConverter<OffsetDateTime> CONVERTER = new ParamConverter<>() {
        @Override
        public OffsetDateTime fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 date-time with an offset: '" + value + "'", e);
            }
        }

        @Override
        public String toString(OffsetDateTime value) {
            return value.toString();
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == OffsetDateTime.class ? (ParamConverter<T>) CONVERTER : null;
    }
}
