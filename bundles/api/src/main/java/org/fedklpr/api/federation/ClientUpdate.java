package org.fedklpr.api.federation;

import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;

/**
 * A client's answer to a {@link TrainingTask}.
 *
 * @param state the trained tensors of the task's return scope
 * @param mask pruning masks of {@code state}, or {@code null} when nothing is pruned
 * @param samples training images used (the weight of sample-weighted averages)
 * @param metrics scalar measurements of the round ({@code loss}, per-term losses, ...), by name
 */
public record ClientUpdate(String clientId, int round, ModelState state, ModelMask mask, long samples,
        Map<String, Double> metrics) {
    public ClientUpdate {
        metrics = Map.copyOf(metrics);
        if (samples <= 0) {
            throw new IllegalArgumentException("client " + clientId + " reported " + samples + " samples");
        }
    }
}
