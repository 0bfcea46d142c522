package org.fedklpr.api.pruning;

/**
 * A controller's decision for one client and round.
 *
 * @param ratio the pruning ratio to apply this round
 * @param restorePreviousMask whether to bring back the mask in force before the last pruning
 *        (recovery): its elements return with the global model's values
 * @param action a short word for the log, e.g. {@code step}, {@code hold}, {@code recover}
 * @param holdRoundsLeft rounds the ratio stays frozen after this one (the client keeps it in its
 *        {@link PruningController.PruningHistory})
 */
public record PruningDecision(double ratio, boolean restorePreviousMask, String action, int holdRoundsLeft) {
    public PruningDecision {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("pruning ratio must be in [0, 1), got " + ratio);
        }
    }
}
