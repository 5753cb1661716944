package dev.intake.web;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads {@code format: date-time} query parameters into the {@link OffsetDateTime} the generated interfaces declare
 * (JAX-RS has no converter for it), exactly as date-times in bodies are read ({@link Rfc3339}: any offset up to
 * ±23:59, the store's range). A value it refuses fails the conversion with {@link InvalidDateTime}, which the problem
 * mapper answers with a 400 naming the parameter and saying what is expected.
 */
public final class DateTimeParameters implements ParamConverterProvider {
    private static final ParamConverter<OffsetDateTime> CONVERTER = new ParamConverter<>() {
        @Override
        public OffsetDateTime fromString(String value) {
            if (value == null) {
                return null;
            }
            return Rfc3339.parse(value).map(instant -> instant.atOffset(ZoneOffset.UTC))
                    .orElseThrow(InvalidDateTime::new);
        }

        @Override
        public String toString(OffsetDateTime value) {
            return value.toString();
        }
    };

    /** A query date-time {@link Rfc3339} refuses; its message says what is expected. */
    static final class InvalidDateTime extends IllegalArgumentException {
        InvalidDateTime() {
            super(Rfc3339.EXPECTED);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == OffsetDateTime.class ? (ParamConverter<T>) CONVERTER : null;
    }
}
