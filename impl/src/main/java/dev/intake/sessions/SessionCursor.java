package dev.intake.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.store.Params;
import dev.intake.web.ApiProblemException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyset cursor: the sort-key values of the last row returned, the walk's snapshot bound (the engine's clock when
 * the walk started), how many rows the walk returned so far, and a fingerprint of the experiment, filters and sort
 * it was made for. Encoded as base64url JSON plus an HMAC-SHA256 tag, so a cursor that was altered, or made for
 * another query, is refused (400) instead of silently returning the wrong rows.
 */
record SessionCursor(Instant snapshot, long returned, List<Object> values) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int TAG_BYTES = 16;

    /** Signs and checks cursors with one key; cursors are valid wherever the same key is in use. */
    static final class Codec {
        private final SecretKeySpec key;

        Codec(byte[] key) {
            this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        }

        /** A codec with a fresh random key: cursors are valid until this process stops. */
        static Codec random() {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return new Codec(key);
        }

        String encode(SessionCursor cursor, SessionQuery query) {
            ObjectNode o = JSON.createObjectNode();
            o.put("at", ChronoUnit.MICROS.between(Instant.EPOCH, cursor.snapshot()));
            o.put("n", cursor.returned());
            o.put("q", fingerprint(query));
            ArrayNode k = o.putArray("k");
            for (Object v : cursor.values()) {
                if (v == null) {
                    k.addNull();
                } else if (v instanceof Instant i) {
                    k.add(ChronoUnit.MICROS.between(Instant.EPOCH, i));
                } else if (v instanceof Double d) {
                    k.add(d);
                } else if (v instanceof Long l) {
                    k.add(l);
                } else {
                    k.add(v.toString());
                }
            }
            byte[] payload = o.toString().getBytes(StandardCharsets.UTF_8);
            return B64.encodeToString(payload) + "." + B64.encodeToString(tag(payload));
        }

        /**
         * @throws ApiProblemException 400 when the cursor is malformed, altered, or made for another query
         */
        SessionCursor decode(String text, SessionQuery query) {
            int dot = text.indexOf('.');
            byte[] payload;
            byte[] tag;
            try {
                payload = Base64.getUrlDecoder().decode(dot < 0 ? "" : text.substring(0, dot));
                tag = Base64.getUrlDecoder().decode(text.substring(dot + 1));
            } catch (IllegalArgumentException e) {
                throw invalid("it is not a cursor of this service");
            }
            if (dot < 0 || !MessageDigest.isEqual(tag, tag(payload))) {
                throw invalid("it is not a cursor of this service, or it was altered");
            }
            try {
                JsonNode o = JSON.readTree(payload);
                if (!fingerprint(query).equals(o.path("q").asText())) {
                    throw invalid("it was made for other filters or another sort; use the same ones, or start a new"
                            + " walk without cursor");
                }
                List<SessionSort.Key> keys = query.sort().keys();
                JsonNode k = o.path("k");
                if (!k.isArray() || k.size() != keys.size()) {
                    throw invalid("it does not match the sort");
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    values.add(value(keys.get(i).field(), k.get(i)));
                }
                return new SessionCursor(Instant.EPOCH.plus(o.path("at").asLong(), ChronoUnit.MICROS),
                        o.path("n").asLong(), values);
            } catch (java.io.IOException e) {
                throw invalid("it is not a cursor of this service");
            }
        }

        private byte[] tag(byte[] payload) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return Arrays.copyOf(mac.doFinal(payload), TAG_BYTES);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }

        private static String fingerprint(SessionQuery query) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest((query.workspace() + "\u0004"
                        + query.experimentName() + "\u0004" + query.canonical()).getBytes(StandardCharsets.UTF_8));
                return B64.encodeToString(Arrays.copyOf(digest, 12));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }

        private static Object value(SessionSort.Field field, JsonNode v) {
            if (v == null || v.isNull()) {
                if (!field.nullable) {
                    throw invalid("it does not match the sort");
                }
                return null;
            }
            switch (field) {
                case STARTED_AT, ENDED_AT, COST_TOTAL_USD, INPUT_TOKENS, OUTPUT_TOKENS, CACHED_TOKENS, TOTAL_TOKENS -> {
                    if (!v.isIntegralNumber()) {
                        throw invalid("it does not match the sort");
                    }
                    long l = v.asLong();
                    return field == SessionSort.Field.STARTED_AT || field == SessionSort.Field.ENDED_AT
                            ? Instant.EPOCH.plus(l, ChronoUnit.MICROS) : Long.valueOf(l);
                }
                case LATENCY_MS, EVALUATOR_SCORE -> {
                    if (!v.isNumber()) {
                        throw invalid("it does not match the sort");
                    }
                    return v.asDouble();
                }
                default -> {
                    if (!v.isTextual()) {
                        throw invalid("it does not match the sort");
                    }
                    return v.asText();
                }
            }
        }
    }

    private static ApiProblemException invalid(String why) {
        return ApiProblemException.badRequest("Invalid cursor: " + why + ".",
                List.of(new ApiProblemException.FieldError("cursor", why)));
    }

    /** The cursor after {@code last}: its values for every key of the sort. */
    static SessionCursor after(SessionRow last, SessionSort sort, Instant snapshot, long returned) {
        List<Object> values = new ArrayList<>();
        for (SessionSort.Key k : sort.keys()) {
            values.add(switch (k.field()) {
                case STARTED_AT -> last.startedAt();
                case ENDED_AT -> last.endedAt();
                case LATENCY_MS -> last.latencyMs();
                case STATUS -> last.status();
                case TEST_CASE_ID -> last.testCaseId() == null || last.testCaseId().isEmpty() ? null : last.testCaseId();
                case COST_TOTAL_USD -> last.costMicroUsd();
                case INPUT_TOKENS -> last.inputTokens();
                case OUTPUT_TOKENS -> last.outputTokens();
                case CACHED_TOKENS -> last.cachedTokens();
                case TOTAL_TOKENS -> last.inputTokens() == null && last.outputTokens() == null ? null
                        : (last.inputTokens() == null ? 0L : last.inputTokens())
                        + (last.outputTokens() == null ? 0L : last.outputTokens());
                case EVALUATOR_SCORE -> last.evaluatorScores().get(k.evaluator());
                case ROOT_SPAN_ID -> last.rootSpanId();
                case SESSION_ID -> last.sessionId();
            });
        }
        return new SessionCursor(snapshot, returned, values);
    }

    /**
     * The keyset predicate "after this cursor's row in the sort's order" (nulls last in both directions): the
     * first key differs in the right direction, or it is equal and the next one does, and so on. Built from the
     * sort's whitelisted expressions; the cursor's values are bound as {@code :cursor_<i>}.
     */
    String predicate(SessionSort sort, Params params) {
        List<SessionSort.Key> keys = sort.keys();
        List<String> alternatives = new ArrayList<>();
        List<String> equalSoFar = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String e = sort.expression(i);
            Object v = values.get(i);
            String bound = ":cursor_" + i;
            params.with("cursor_" + i, v);
            if (v == null) {
                // nothing sorts after a null of this key (nulls are last); only nulls are equal to it
                equalSoFar.add("isNull(" + e + ")");
                continue;
            }
            String beyond = e + (keys.get(i).descending() ? " < " : " > ") + bound;
            String after = keys.get(i).field().nullable ? "(isNull(" + e + ") OR " + beyond + ")" : beyond;
            List<String> chain = new ArrayList<>(equalSoFar);
            chain.add(after);
            alternatives.add("(" + String.join(" AND ", chain) + ")");
            equalSoFar.add(e + " = " + bound);
        }
        return alternatives.isEmpty() ? "0" : "(" + String.join("\n   OR ", alternatives) + ")";
    }
}
