package org.fedklpr.api.objective;

import ai.djl.ndarray.NDArray;

/**
 * One term of a client's local loss, registered with {@code fedklpr.name}. The engine sums the
 * configured terms on every batch and back-propagates the sum; each term carries its own weight in
 * its own configuration.
 */
public interface LocalObjective {

    /**
     * The term on one batch: a scalar that depends on the local model's outputs or parameters.
     * Must not modify {@code step}'s arrays in place.
     */
    NDArray loss(TrainingStep step);

    /**
     * Whether {@link TrainingStep#globalEmbeddings()} is needed. The engine then runs the frozen
     * global model on each batch before it records gradients, so that no gradient or batch-norm
     * update reaches the global model.
     */
    default boolean needsGlobalEmbeddings() {
        return false;
    }

    /** Whether {@link TrainingStep#globalParameters()} is needed (constants, no extra forward pass). */
    default boolean needsGlobalParameters() {
        return false;
    }
}
