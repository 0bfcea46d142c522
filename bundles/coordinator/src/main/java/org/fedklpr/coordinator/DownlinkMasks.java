package org.fedklpr.coordinator;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;

/**
 * Which elements of the global model each client still needs. A pruning client zeroes what its
 * mask drops, so sending those is waste; but a recovery brings back the mask in force before its
 * last pruning, with the global values. So the downlink carries the union of the masks the client
 * sent in its last two rounds (masks only shrink between recoveries, so this is mostly the older
 * one). A client that stops pruning, or has pruned only once, gets everything.
 */
final class DownlinkMasks {
    /** The masks of a client's last two accepted updates; {@code older} null: the whole model. */
    private record Recent(ModelMask older, ModelMask newer) {
    }

    private final Map<String, Recent> recent = new HashMap<>();

    /** Records the mask of a client's accepted update ({@code null}: it does not prune). */
    void received(String client, ModelMask mask) {
        if (mask == null) {
            recent.remove(client);
            return;
        }
        Recent before = recent.get(client);
        recent.put(client, new Recent(before == null ? null : before.newer(), mask));
    }

    /** The elements to send to {@code client}, or {@code null} for all of them. */
    ModelMask of(String client) {
        Recent masks = recent.get(client);
        if (masks == null || masks.older() == null) {
            return null;
        }
        Map<String, BitSet> union = new LinkedHashMap<>();
        masks.newer().tensors().forEach((name, newer) -> {
            BitSet older = masks.older().tensors().get(name);
            // A tensor the older mask does not list was whole then, and is sent whole.
            if (older != null) {
                BitSet merged = (BitSet) newer.clone();
                merged.or(older);
                union.put(name, merged);
            }
        });
        return ModelMask.of(union);
    }
}
