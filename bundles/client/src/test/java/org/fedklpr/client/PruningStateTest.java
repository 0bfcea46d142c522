package org.fedklpr.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.BitSet;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.pruning.PruningController.PruningHistory;
import org.fedklpr.api.pruning.PruningDecision;
import org.junit.jupiter.api.Test;

class PruningStateTest {
    private static final ModelState SHAPES = ModelState.of(Map.of("backbone.conv1.weight",
            new Tensor(new int[] {2, 3}, new float[6])));
    private static final Map<String, Integer> SIZES = Map.of("backbone.conv1.weight", 6);

    private static ModelMask mask(long bits) {
        return ModelMask.of(Map.of("backbone.conv1.weight", BitSet.valueOf(new long[] {bits})));
    }

    @Test
    void roundTripsThroughCheckpointTensors() {
        ModelState before = ModelState.of(Map.of("backbone.conv1.weight",
                new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})));
        PruningState state = PruningState.NONE
                .cut(null, mask(0b111110), SHAPES).measured(new PruningDecision(0.2, false, "start", 0), 0.9)
                .cut(mask(0b111110), mask(0b011010), before)
                .measured(new PruningDecision(0.3 + 0.1, false, "step", 0), 0.7 / 3);
        PruningState restored = PruningState.fromTensors(ModelState.of(state.toTensors(SIZES)));
        assertEquals(state.current(), restored.current());
        assertEquals(state.previous(), restored.previous());
        assertEquals(before, restored.revivable());
        // Exactly: the controller compares ratios with its target after a resume.
        assertArrayEquals(new double[] {0.2, 0.3 + 0.1}, restored.history().ratios(), 0);
        assertArrayEquals(new double[] {0.9, 0.7 / 3}, restored.history().metrics(), 0);
        assertEquals(0, restored.history().holdRoundsLeft());
    }

    @Test
    void aRecoveryStartsFromThePreviousMask() {
        PruningState state = new PruningState(mask(0b011010), mask(0b111110), ModelState.empty(),
                PruningHistory.empty());
        assertEquals(mask(0b111110), state.inForce(new PruningDecision(0.2, true, "recover", 2)));
        assertEquals(mask(0b011010), state.inForce(new PruningDecision(0.5, false, "step", 0)));
    }

    @Test
    void overlayTakesTheKeptElementsFromTheGlobalModelAndTheRestFromBeforeTheCut() {
        ModelState before = ModelState.of(Map.of("backbone.conv1.weight",
                new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})));
        ModelState global = ModelState.of(Map.of("backbone.conv1.weight",
                new Tensor(new int[] {2, 3}, new float[] {0, 20, 0, 40, 0, 0})));
        ModelState merged = PruningState.overlay(before, global, mask(0b001010));
        assertArrayEquals(new float[] {1, 20, 3, 40, 5, 6}, merged.tensor("backbone.conv1.weight").values());
        assertSame(global, PruningState.overlay(before, global, null));
    }

    @Test
    void noPruningLeavesNoTensors() {
        assertEquals(Map.of(), PruningState.NONE.toTensors(SIZES));
        assertSame(PruningState.NONE, PruningState.fromTensors(SHAPES));
    }
}
