package org.fedklpr.api.engine;

/**
 * Chooses what a local epoch trains on when the epoch starts. With identity labels every epoch is the
 * same; without them a site groups its images into pseudo-identities with the network as it is at
 * that moment, so that each epoch learns from the last one's model.
 */
@FunctionalInterface
public interface EpochLabelling {

    /**
     * The targets of local epoch {@code epoch} (0-based). Called on the training thread between
     * optimiser steps: the implementation may run the network being trained in inference mode
     * ({@link ReidNetwork#embed}).
     */
    EpochTargets targets(int epoch);

    /** Every epoch trains on these identity labels. */
    static EpochLabelling fixed(int[] labels) {
        EpochTargets targets = EpochTargets.labelled(labels);
        return epoch -> targets;
    }
}
