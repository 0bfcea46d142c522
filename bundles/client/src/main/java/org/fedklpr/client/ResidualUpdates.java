package org.fedklpr.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

/**
 * The site's side of error feedback: what it hands to update compression (this round's difference
 * plus what earlier rounds left out), and the residual as tensors of its saved state.
 */
final class ResidualUpdates {
    /** Prefix of the residual's tensors in the site's saved state. */
    static final String PREFIX = "residual.";

    private ResidualUpdates() {
    }

    /** {@code trained − global + residual}, tensor by tensor; a tensor the residual lacks adds nothing. */
    static ModelState corrected(ModelState trained, ModelState global, ModelState residual) {
        Map<String, Tensor> corrected = new LinkedHashMap<>();
        trained.tensors().forEach((name, tensor) -> {
            float[] after = tensor.values();
            float[] before = global.tensor(name).values();
            float[] carried = residual.contains(name) ? residual.tensor(name).values() : null;
            float[] values = new float[after.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = after[i] - before[i] + (carried == null ? 0 : carried[i]);
            }
            corrected.put(name, new Tensor(tensor.shape(), values));
        });
        return ModelState.of(corrected);
    }

    static Map<String, Tensor> toTensors(ModelState residual) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        residual.tensors().forEach((name, tensor) -> tensors.put(PREFIX + name, tensor));
        return tensors;
    }

    static ModelState fromTensors(ModelState saved) {
        Map<String, Tensor> residual = new LinkedHashMap<>();
        saved.tensors().forEach((name, tensor) -> {
            if (name.startsWith(PREFIX)) {
                residual.put(name.substring(PREFIX.length()), tensor);
            }
        });
        return ModelState.of(residual);
    }
}
