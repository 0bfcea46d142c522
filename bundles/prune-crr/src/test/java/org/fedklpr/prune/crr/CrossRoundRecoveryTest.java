package org.fedklpr.prune.crr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.fedklpr.api.pruning.PruningController.PruningHistory;
import org.fedklpr.api.pruning.PruningDecision;
import org.junit.jupiter.api.Test;

class CrossRoundRecoveryTest {
    /** Runs the policy over a scripted validation signal and returns "action ratio" per round. */
    private static List<String> run(CrossRoundRecovery policy, double... signal) {
        PruningHistory history = PruningHistory.empty();
        List<String> log = new ArrayList<>();
        for (double metric : signal) {
            PruningDecision decision = policy.decide(history);
            log.add(decision.action() + " " + Math.round(decision.ratio() * 100) + (decision.restorePreviousMask()
                    ? " restore" : ""));
            history = history.append(decision.ratio(), metric, decision.holdRoundsLeft());
        }
        return log;
    }

    @Test
    void stepsUpToTheTargetWhileTheSignalHolds() {
        CrossRoundRecovery policy = new CrossRoundRecovery(0, 0.2, 0.1, 0.5, 0.05, 2, false);
        assertEquals(List.of("start 20", "step 30", "step 40", "step 50", "done 50", "done 50"),
                run(policy, 0.80, 0.80, 0.79, 0.78, 0.78, 0.77));
    }

    @Test
    void aDropAfterAStepRestoresTheMaskAndHolds() {
        CrossRoundRecovery policy = new CrossRoundRecovery(0, 0.2, 0.1, 0.6, 0.05, 2, false);
        // round 3 steps to 40 % and the signal falls from 0.80 to 0.70: round 4 recovers to 30 %,
        // holds two rounds, then steps again.
        assertEquals(List.of("start 20", "step 30", "step 40", "recover 30 restore", "hold 30", "hold 30", "step 40"),
                run(policy, 0.80, 0.80, 0.70, 0.79, 0.79, 0.79, 0.78));
    }

    @Test
    void stepBackGoesOneStepBelowAndNoiseWithoutAStepIsIgnored() {
        CrossRoundRecovery policy = new CrossRoundRecovery(0, 0.2, 0.1, 0.3, 0.05, 1, true);
        // At the target no step happens, so the drop in round 4 is not pruning's doing.
        assertEquals(List.of("start 20", "step 30", "done 30", "done 30"), run(policy, 0.9, 0.9, 0.9, 0.5));
        assertEquals(List.of("start 20", "step 30", "recover 10 restore", "hold 10", "step 20"),
                run(policy, 0.9, 0.7, 0.9, 0.9, 0.9));
    }

    @Test
    void warmupRoundsComeFirstAndACutThatHurtsTheFirstTimeIsUndone() {
        CrossRoundRecovery policy = new CrossRoundRecovery(2, 0.3, 0.15, 0.6, 0.05, 1, false);
        assertEquals(List.of("warmup 0", "warmup 0", "start 30", "step 45", "step 60", "done 60"),
                run(policy, 0.5, 0.8, 0.8, 0.8, 0.8, 0.8));
        assertEquals(List.of("warmup 0", "start 30", "recover 0 restore", "hold 0"), run(new CrossRoundRecovery(1, 0.3,
                0.15, 0.6, 0.05, 1, false), 0.9, 0.5, 0.9, 0.9));
    }

    @Test
    void anInfiniteToleranceNeverRecovers() {
        CrossRoundRecovery schedule = new CrossRoundRecovery(0, 0.2, 0.2, 0.6, Double.POSITIVE_INFINITY, 2, false);
        assertEquals(List.of("start 20", "step 40", "step 60", "done 60"), run(schedule, 0.9, 0.1, 0.0, 0.0));
    }
}
