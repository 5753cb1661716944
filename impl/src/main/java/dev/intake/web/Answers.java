package dev.intake.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Answers of store reads kept in memory, each with the version of the store it was read at (see
 * {@link ConditionalGets}). An answer is served again only while that version is still the store's current one,
 * which takes the same one small version read as a conditional GET's 304: it is exactly as fresh as an ETag, on
 * every instance, since the version is kept by the store and not by an instance.
 *
 * <p>Bounded by the bytes of the answers kept (least recently used ones go first); an answer larger than a
 * sixteenth of that is not kept.
 */
final class Answers {
    /** One kept answer: the body as written, its media type, and the version it was read at. */
    record Answer(long version, String mediaType, byte[] body) {
    }

    private final Cache<String, Answer> kept;
    private final long largestBody;

    Answers(long maxBytes) {
        this.largestBody = maxBytes / 16;
        this.kept = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((String key, Answer a) -> (int) Math.min(Integer.MAX_VALUE, key.length() * 2L + a.body().length + 64))
                .build();
    }

    /** The answer kept for this key, whatever its version, or null. */
    Answer get(String key) {
        return kept.getIfPresent(key);
    }

    void put(String key, Answer answer) {
        kept.put(key, answer);
    }

    /** The body's bytes on their way out, copied while they stay within the largest body kept. */
    Copy copying(OutputStream out) {
        return new Copy(out, largestBody);
    }

    /** An output stream that passes bytes on and copies them, until there are more than its limit. */
    static final class Copy extends FilterOutputStream {
        private final long limit;
        private ByteArrayOutputStream copy = new ByteArrayOutputStream();

        private Copy(OutputStream out, long limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            if (copy != null) {
                copy.write(b);
                checkSize();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (copy != null) {
                copy.write(b, off, len);
                checkSize();
            }
        }

        private void checkSize() {
            if (copy.size() > limit) {
                copy = null;
            }
        }

        /** What was written, once the body is whole; null when it passed the limit. */
        byte[] copied() {
            return copy == null ? null : copy.toByteArray();
        }
    }
}
