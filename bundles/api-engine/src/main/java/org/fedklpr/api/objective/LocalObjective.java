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

    /**
     * Whether the term is part of the objective in {@code round} (1-based); a site leaves it out of
     * the other rounds. For terms that make no sense against the starting model, for instance.
     */
    default boolean activeInRound(int round) {
        return true;
    }

    /**
     * Called once the optimiser step of {@code step} has been taken, with the same step (its arrays
     * still hold the values the loss saw). A term that keeps state through an epoch, such as a
     * memory of proxies ({@link TrainingStep#proxies()}), updates it here.
     */
    default void stepTaken(TrainingStep step) {
    }
}
