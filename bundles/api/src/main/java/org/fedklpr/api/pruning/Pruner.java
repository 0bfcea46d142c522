package org.fedklpr.api.pruning;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;

/**
 * Chooses which weights to drop ({@code fedklpr.name} = the criterion, e.g. {@code magnitude}).
 * Prunable tensors are the weights of convolutions and linear layers (rank at least 2, name ending
 * in {@code .weight}); biases and batch-norm tensors are always kept.
 */
public interface Pruner {

    /**
     * A mask that drops {@code ratio} of the prunable weights of {@code state}, never reviving an
     * element that {@code previous} already dropped.
     *
     * @param ratio fraction in [0, 1) of the prunable elements to drop
     * @param previous the mask in force, or {@code null} for none
     */
    ModelMask prune(ModelState state, double ratio, ModelMask previous);
}
