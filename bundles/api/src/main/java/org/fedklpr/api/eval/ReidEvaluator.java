package org.fedklpr.api.eval;

/**
 * Scores re-ID features under a ranking protocol ({@code fedklpr.name} = the protocol, e.g.
 * {@code market1501}).
 */
public interface ReidEvaluator {

    /**
     * Ranks {@code gallery} for every query and scores the rankings.
     *
     * @throws IllegalArgumentException if the two sets have different feature dimensions
     */
    ReidMetrics evaluate(FeatureSet query, FeatureSet gallery);
}
