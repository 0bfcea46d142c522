package org.fedklpr.api.eval;

/**
 * Scores of one query set against one gallery, as fractions in [0, 1].
 *
 * @param rank1 CMC at rank 1: fraction of queries whose nearest valid gallery entry is a match
 * @param rank5 CMC at rank 5
 * @param rank10 CMC at rank 10
 * @param mAP mean average precision; the evaluator's documentation says which AP
 * @param queries queries scored (those with at least one valid match)
 * @param queriesWithoutMatch queries left out because no valid gallery entry matches them
 */
public record ReidMetrics(double rank1, double rank5, double rank10, double mAP, int queries,
        int queriesWithoutMatch) {
}
