package org.fedklpr.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

/**
 * The model a compressed update stands for: the global tensors the site was sent plus the
 * difference it sent (zero where nothing travelled). Its mask said only what travelled, so the
 * model has none: every aggregator then averages whole models, which for a sample-weighted average
 * is the same as averaging the sparse differences (θ_g + Σ w_k d_k / Σ w_k).
 */
final class CompressedUpdates {
    private CompressedUpdates() {
    }

    /** @param sent the global tensors of the round as the coordinator sent them (same names as the update) */
    static ClientUpdate expand(ClientUpdate update, ModelState sent) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        update.state().tensors().forEach((name, difference) -> {
            float[] base = sent.tensor(name).values();
            float[] values = new float[base.length];
            float[] delta = difference.values();
            for (int i = 0; i < values.length; i++) {
                values[i] = base[i] + delta[i];
            }
            model.put(name, new Tensor(difference.shape(), values));
        });
        return update.with(ModelState.of(model), null);
    }
}
