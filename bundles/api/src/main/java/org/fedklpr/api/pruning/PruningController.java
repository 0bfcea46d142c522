package org.fedklpr.api.pruning;

/**
 * Chooses a client's pruning ratio round after round from how its validation signal moves
 * ({@code fedklpr.name} = the policy, e.g. {@code crr}). Controllers keep no state of their own: the
 * client holds its {@link PruningHistory} and passes it in, so a checkpoint restores it.
 */
public interface PruningController {

    PruningDecision decide(PruningHistory history, int round);

    /**
     * A client's pruning history as the controller needs it.
     *
     * @param ratios the ratio applied in each past round, oldest first
     * @param metrics the validation signal after each past round (higher is better)
     * @param holdRoundsLeft rounds of an ongoing hold after a recovery
     */
    record PruningHistory(double[] ratios, double[] metrics, int holdRoundsLeft) {
    }
}
