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
 */
public record TrainingReport(double meanLoss, Map<String, Double> lossTerms, long samples, int steps, double seconds) {
    public TrainingReport {
        lossTerms = Map.copyOf(lossTerms);
    }
}
