package dev.intake.bench.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The batches already stored, one line {@code <experiment> <first session index> <count>} each, appended after the
 * API confirmed the batch. A batch is all or nothing on the server, so a rerun skips exactly what is there.
 */
final class Checkpoint {
    private final Path file;
    private final Set<String> done = new HashSet<>();

    Checkpoint(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                done.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isDone(String experiment, long first, int count) {
        return done.contains(key(experiment, first, count));
    }

    synchronized void markDone(String experiment, long first, int count) {
        String key = key(experiment, first, count);
        done.add(key);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String experiment, long first, int count) {
        return experiment + " " + first + " " + count;
    }
}
