package dev.intake.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keys of one workspace this instance has met lately, the least recently used forgotten first beyond a capacity:
 * only hints for skipping work whose own statement checks again (sessions it wrote, experiments it saw live).
 */
final class RecentKeys {
    private final Set<String> keys;

    /** @param capacity how many keys are remembered (about 100 bytes each) */
    RecentKeys(int capacity) {
        this.keys = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    boolean contains(String workspace, String key) {
        return keys.contains(workspace + '\0' + key);
    }

    void add(String workspace, String key) {
        keys.add(workspace + '\0' + key);
    }

    void remove(String workspace, String key) {
        keys.remove(workspace + '\0' + key);
    }
}
