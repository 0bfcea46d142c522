package org.fedklpr.api.model;

import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unstructured pruning masks: per tensor, bit {@code i} set means element {@code i} is kept.
 * A tensor without an entry is fully kept.
 */
public final class ModelMask {
    private final Map<String, BitSet> kept;

    private ModelMask(Map<String, BitSet> kept) {
        this.kept = kept;
    }

    public static ModelMask of(Map<String, BitSet> kept) {
        Map<String, BitSet> copy = new LinkedHashMap<>();
        kept.forEach((name, bits) -> copy.put(name, (BitSet) bits.clone()));
        return new ModelMask(Collections.unmodifiableMap(copy));
    }

    public Map<String, BitSet> tensors() {
        return kept;
    }

    /** Whether element {@code index} of tensor {@code name} is kept. */
    public boolean isKept(String name, int index) {
        BitSet bits = kept.get(name);
        return bits == null || bits.get(index);
    }

    /** Fraction of the elements of {@code state} that are pruned (0 when nothing is masked). */
    public double prunedFraction(ModelState state) {
        long total = 0;
        long pruned = 0;
        for (String name : state.names()) {
            int size = (int) Tensor.elementCount(state.shape(name));
            total += size;
            BitSet bits = kept.get(name);
            if (bits != null) {
                pruned += size - bits.get(0, size).cardinality();
            }
        }
        return total == 0 ? 0 : (double) pruned / total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelMask m && kept.equals(m.kept);
    }

    @Override
    public int hashCode() {
        return kept.hashCode();
    }
}
