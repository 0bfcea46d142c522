package org.fedklpr.api.pruning;

/**
 * A controller's decision for one client and round.
 *
 * @param ratio the pruning ratio to apply this round
 * @param restorePreviousMask whether to bring back the mask of the previous round (recovery)
 * @param action a short word for the log, e.g. {@code step}, {@code hold}, {@code recover}
 */
public record PruningDecision(double ratio, boolean restorePreviousMask, String action) {
}
