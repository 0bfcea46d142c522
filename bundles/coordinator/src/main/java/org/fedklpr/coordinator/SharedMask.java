package org.fedklpr.coordinator;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

/** The global model under the coordinator's mask (pruningMask=coordinator). */
final class SharedMask {
    private SharedMask() {
    }

    /** {@code state} with every element {@code mask} drops set to 0; tensors it does not list unchanged. */
    static ModelState zeroed(ModelState state, ModelMask mask) {
        Map<String, Tensor> zeroed = new LinkedHashMap<>();
        state.tensors().forEach((name, tensor) -> {
            BitSet kept = mask.tensors().get(name);
            if (kept == null) {
                zeroed.put(name, tensor);
                return;
            }
            float[] values = tensor.values().clone();
            for (int i = kept.nextClearBit(0); i < values.length; i = kept.nextClearBit(i + 1)) {
                values[i] = 0;
            }
            zeroed.put(name, new Tensor(tensor.shape(), values));
        });
        return ModelState.of(zeroed);
    }
}
