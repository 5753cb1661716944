package dev.intake.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date-times on the wire. Read: RFC 3339 {@code date-time} exactly (a 4-digit year, {@code T} or {@code t}, any
 * fraction of a second, {@code Z}, {@code z} or an offset of up to ±23:59, which java.time alone cannot hold),
 * without leap seconds ({@code :60}), kept to the microsecond, within what the store can hold (years 1900 to
 * 2299). Written: always UTC with {@code Z} and exactly six fractional digits.
 */
public final class Rfc3339 {
    /** The earliest and the latest instant the store's DateTime64(6) columns hold. */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2299-12-31T23:59:59.999999Z");
    /** What a client is told when a date-time cannot be read. */
    public static final String EXPECTED = "must be an RFC 3339 date-time with an offset (such as 2025-01-01T00:00:00Z)"
            + " from 1900-01-01 to 2299-12-31, without leap seconds";

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[Tt](\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private Rfc3339() {
    }

    /** The instant a text names, truncated to the microsecond; empty when it is not one we accept. */
    public static Optional<Instant> parse(String text) {
        Matcher m = DATE_TIME.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            String fraction = m.group(3) == null ? "" : m.group(3);
            if (fraction.length() > 10) {
                fraction = fraction.substring(0, 10); // '.' and nine digits: nanoseconds, cut to micros below
            }
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2) + fraction);
            int offsetSeconds = 0;
            if (m.group(4) == null) {
                int hours = Integer.parseInt(m.group(6));
                int minutes = Integer.parseInt(m.group(7));
                if (hours > 23 || minutes > 59) {
                    return Optional.empty();
                }
                offsetSeconds = (hours * 3600 + minutes * 60) * (m.group(5).equals("-") ? -1 : 1);
            }
            Instant instant = local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds).truncatedTo(ChronoUnit.MICROS);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                return Optional.empty();
            }
            return Optional.of(instant);
        } catch (DateTimeException e) {
            return Optional.empty(); // February 30th, 24:00, a leap second
        }
    }

    /** The wire form of an instant: UTC, {@code Z}, six fractional digits. */
    public static String format(Instant instant) {
        return WRITTEN.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** Reads and writes {@link OffsetDateTime} (the generated models' date-time type) as above. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("rfc3339");
        module.addDeserializer(OffsetDateTime.class, new JsonDeserializer<>() {
            @Override
            public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
                }
                String text = p.getText();
                Optional<Instant> instant = parse(text);
                if (instant.isEmpty()) {
                    return (OffsetDateTime) ctxt.handleWeirdStringValue(OffsetDateTime.class, text, EXPECTED);
                }
                return instant.get().atOffset(ZoneOffset.UTC);
            }
        });
        module.addSerializer(OffsetDateTime.class, new JsonSerializer<>() {
            @Override
            public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                gen.writeString(format(value.toInstant()));
            }
        });
        module.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(format(value));
            }
        });
        return module;
    }
}
