package org.fedklpr.coordinator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;

/**
 * Which elements of the global model each client needs: those its last update's mask kept. A
 * pruning client zeroes the rest anyway, and keeps the values it would need after a recovery
 * itself. A client that has not pruned, or stopped, gets everything. Checkpoints keep them, so that
 * a resumed run sends what the uninterrupted one would have.
 */
final class DownlinkMasks {
    private final Map<String, ModelMask> last = new LinkedHashMap<>();

    /** Records the mask of a client's accepted update ({@code null}: it does not prune). */
    void received(String client, ModelMask mask) {
        if (mask == null) {
            last.remove(client);
        } else {
            last.put(client, mask);
        }
    }

    /** Every client's mask, for a checkpoint. */
    Map<String, ModelMask> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(last));
    }

    /** Replaces every client's mask with those of a checkpoint. */
    void restore(Map<String, ModelMask> masks) {
        last.clear();
        last.putAll(masks);
    }

    /** The elements to send to {@code client}, or {@code null} for all of them. */
    ModelMask of(String client) {
        return last.get(client);
    }
}
