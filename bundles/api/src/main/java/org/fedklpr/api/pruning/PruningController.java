package org.fedklpr.api.pruning;

/**
 * Chooses a client's pruning ratio round after round from how its validation signal moves
 * ({@code fedklpr.name} = the policy, e.g. {@code crr}). Controllers keep no state of their own: the
 * client holds its {@link PruningHistory} and passes it in, so a checkpoint restores it.
 */
public interface PruningController {

    /**
     * @param history what happened to this client in earlier rounds ({@link PruningHistory#empty()}
     *        in its first)
     * @param round the round about to start
     */
    PruningDecision decide(PruningHistory history, int round);

    /**
     * A client's pruning history as the controller needs it.
     *
     * @param ratios the ratio applied in each past round, oldest first
     * @param metrics the validation signal after each past round's pruning (higher is better)
     * @param holdRoundsLeft rounds of an ongoing hold, from the last decision
     */
    record PruningHistory(double[] ratios, double[] metrics, int holdRoundsLeft) {
        public PruningHistory {
            if (ratios.length != metrics.length) {
                throw new IllegalArgumentException(ratios.length + " ratios but " + metrics.length + " metrics");
            }
        }

        public static PruningHistory empty() {
            return new PruningHistory(new double[0], new double[0], 0);
        }

        public int rounds() {
            return ratios.length;
        }

        /** The ratio of the last round, 0 before any. */
        public double lastRatio() {
            return ratios.length == 0 ? 0 : ratios[ratios.length - 1];
        }

        /** This history with one more round. */
        public PruningHistory append(double ratio, double metric, int hold) {
            double[] moreRatios = java.util.Arrays.copyOf(ratios, ratios.length + 1);
            double[] moreMetrics = java.util.Arrays.copyOf(metrics, metrics.length + 1);
            moreRatios[ratios.length] = ratio;
            moreMetrics[metrics.length] = metric;
            return new PruningHistory(moreRatios, moreMetrics, hold);
        }
    }
}
