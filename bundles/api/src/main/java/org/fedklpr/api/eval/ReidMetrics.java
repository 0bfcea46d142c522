package org.fedklpr.api.eval;

/**
 * Scores of one query set against one gallery, as fractions in [0, 1].
 *
 * @param rank1 CMC at rank 1: fraction of queries whose nearest valid gallery entry is a match
 * @param rank5 CMC at rank 5
 * @param rank10 CMC at rank 10
 * @param mAP mean of the plain (non-interpolated) average precision: per query, the mean over its
 *        valid matches of the precision at each match's rank
 * @param officialMAP mean of the trapezoid-interpolated average precision of the official
 *        Market-1501 MATLAB code (and of the FedReID / person-reid-pytorch scripts): per match,
 *        the mean of the precision just before and at its rank; it is never above the plain value
 * @param queries queries scored (those with at least one valid match)
 * @param queriesWithoutMatch queries left out because no valid gallery entry matches them
 */
public record ReidMetrics(double rank1, double rank5, double rank10, double mAP, double officialMAP, int queries,
        int queriesWithoutMatch) {

    /** Metrics of an evaluator that computes only the plain AP ({@code officialMAP} is NaN). */
    public ReidMetrics(double rank1, double rank5, double rank10, double mAP, int queries, int queriesWithoutMatch) {
        this(rank1, rank5, rank10, mAP, Double.NaN, queries, queriesWithoutMatch);
    }
}
