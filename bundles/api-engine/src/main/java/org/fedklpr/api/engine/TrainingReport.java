package org.fedklpr.api.engine;

import java.util.Map;

/**
 * What one local training run did.
 *
 * @param meanLoss mean of the total objective over all steps
 * @param lossTerms mean of each objective's term, by objective name
 * @param samples training images seen per epoch (the client's sample count for weighting)
 * @param steps optimiser steps taken
 * @param seconds wall time
 * @param dataWaitSeconds time the training loop stood still waiting for its next batch (decoding,
 *        augmentation); an engine that prepares batches ahead keeps it near 0
 * @param divergedAtStep the 1-based step whose loss was not finite, after which training stopped
 *        (no step was taken from it); 0 when training did not diverge
 */
public record TrainingReport(double meanLoss, Map<String, Double> lossTerms, long samples, int steps, double seconds,
        double dataWaitSeconds, int divergedAtStep) {
    public TrainingReport {
        lossTerms = Map.copyOf(lossTerms);
    }

    /** A report of training that did not diverge. */
    public TrainingReport(double meanLoss, Map<String, Double> lossTerms, long samples, int steps, double seconds,
            double dataWaitSeconds) {
        this(meanLoss, lossTerms, samples, steps, seconds, dataWaitSeconds, 0);
    }

    public boolean diverged() {
        return divergedAtStep > 0;
    }

    /** A report of an engine that does not measure waiting for data (counted as none). */
    public TrainingReport(double meanLoss, Map<String, Double> lossTerms, long samples, int steps, double seconds) {
        this(meanLoss, lossTerms, samples, steps, seconds, 0);
    }

    /** Fraction of the training time spent waiting for data, in [0, 1]. */
    public double dataWaitFraction() {
        return seconds > 0 ? Math.min(1, dataWaitSeconds / seconds) : 0;
    }
}
