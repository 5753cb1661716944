package dev.intake.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic ids: the same parts always give the same id, so re-ingesting a trajectory replaces its rows
 * instead of duplicating them. Each part is hashed as an 8-byte big-endian length and its UTF-8 bytes (so
 * ("ab","c") and ("a","bc") differ); the id is a prefix and the first 32 hex digits of the SHA-256.
 */
final class StableIds {
    private StableIds() {
    }

    static String span(Object... parts) {
        return "span-" + hash(parts);
    }

    static String evaluatorResult(Object... parts) {
        return "eval-" + hash(parts);
    }

    private static String hash(Object... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
