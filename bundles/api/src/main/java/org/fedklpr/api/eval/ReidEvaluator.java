package org.fedklpr.api.eval;

import java.util.List;

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

    /**
     * The ranked gallery of each query in {@code queries} (indices into {@code query}), in that order,
     * each up to its {@code top}-th entry that counts, ranked exactly as {@link #evaluate} ranks them.
     *
     * @throws UnsupportedOperationException if the protocol does not offer rank lists
     */
    default List<RankedList> rankings(FeatureSet query, FeatureSet gallery, int[] queries, int top) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not offer rank lists");
    }
}
