package dev.intake.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The experiments this instance has lately seen live, by workspace and name: a lookup answered yes, or a guarded
 * publish wrote rows into them. Only a hint for skipping the lookup before a write whose own statement checks the
 * experiment again (see {@code IngestWriter}): a name deleted since, through any instance, is caught there and
 * forgotten here. A name is never remembered as missing, so one created a moment ago is always found.
 */
final class ExperimentsSeenLive {
    /** How many names are remembered (about 100 bytes each); the least recently used goes first. */
    static final int REMEMBERED_NAMES = 10_000;

    private final Set<String> names = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_NAMES;
                }
            }));

    boolean contains(String workspace, String name) {
        return names.contains(key(workspace, name));
    }

    void seen(String workspace, String name) {
        names.add(key(workspace, name));
    }

    void forget(String workspace, String name) {
        names.remove(key(workspace, name));
    }

    private static String key(String workspace, String name) {
        return workspace + '\0' + name;
    }
}
