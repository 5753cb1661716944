package dev.intake.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version stamps for ReplacingMergeTree rows: wall-clock microseconds, strictly increasing within the process, so
 * two writes in the same microsecond still order correctly.
 */
public final class Versions {
    private static final AtomicLong LAST = new AtomicLong();

    private Versions() {
    }

    /** The next version; never equal to or older than a previous one from this process. */
    public static Instant next() {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        long v = LAST.accumulateAndGet(micros, (last, candidate) -> Math.max(last + 1, candidate));
        return Instant.EPOCH.plus(v, ChronoUnit.MICROS);
    }
}
