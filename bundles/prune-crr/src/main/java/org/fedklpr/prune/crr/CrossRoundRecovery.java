package org.fedklpr.prune.crr;

import org.fedklpr.api.pruning.PruningController.PruningHistory;
import org.fedklpr.api.pruning.PruningDecision;

/**
 * The cross-round recovery policy, as plain Java (our reading of FedKLPR; see docs/ALGORITHMS.md).
 *
 * <ol>
 * <li>The first {@code warmupRounds} rounds: no pruning ({@code warmup}), so that the first cut
 * falls on trained weights.</li>
 * <li>Then: prune to {@code initialRatio} ({@code start}).</li>
 * <li>During a hold: keep the ratio ({@code hold}).</li>
 * <li>If the last round raised the ratio and the validation signal then fell by more than
 * {@code tolerance} against the round before, restore the mask in force before that step
 * ({@code recover}), go back to the ratio before it (or one step below it when
 * {@code stepBackOnRecovery}), and hold for {@code holdRounds} rounds.</li>
 * <li>Otherwise raise the ratio by {@code step}, up to {@code targetRatio} ({@code step}, then
 * {@code done} once there).</li>
 * </ol>
 */
record CrossRoundRecovery(int warmupRounds, double initialRatio, double step, double targetRatio, double tolerance,
        int holdRounds, boolean stepBackOnRecovery) {

    CrossRoundRecovery {
        if (!(targetRatio >= 0 && targetRatio < 1) || !(initialRatio >= 0 && initialRatio <= targetRatio)) {
            throw new IllegalArgumentException("need 0 <= initialRatio <= targetRatio < 1, got " + initialRatio + " and "
                    + targetRatio);
        }
        if (!(step > 0) || tolerance < 0 || holdRounds < 0 || warmupRounds < 0) {
            throw new IllegalArgumentException("step must be positive; tolerance, holdRounds and warmupRounds not "
                    + "negative");
        }
    }

    PruningDecision decide(PruningHistory history) {
        int n = history.rounds();
        if (n < warmupRounds) {
            return new PruningDecision(0, false, "warmup", 0);
        }
        if (n == warmupRounds) {
            return new PruningDecision(initialRatio, false, "start", 0);
        }
        double last = history.lastRatio();
        if (history.holdRoundsLeft() > 0) {
            return new PruningDecision(last, false, "hold", history.holdRoundsLeft() - 1);
        }
        if (n >= 2) {
            double before = history.ratios()[n - 2];
            boolean stepped = last > before;
            boolean degraded = history.metrics()[n - 1] < history.metrics()[n - 2] - tolerance;
            if (stepped && degraded) {
                double ratio = stepBackOnRecovery ? Math.max(0, before - step) : before;
                return new PruningDecision(ratio, true, "recover", holdRounds);
            }
        }
        double next = Math.min(targetRatio, last + step);
        return new PruningDecision(next, false, next > last ? "step" : "done", 0);
    }
}
