package org.fedklpr.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.LinkedHashMap;
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

    @Test
    void masksTravelAsBitsAndAStateOfAnEarlierVersionWithOneFloatPerElementStillReads() {
        int size = 100;
        BitSet kept = new BitSet();
        for (int i = 0; i < size; i += 3) {
            kept.set(i);
        }
        kept.set(size - 1);
        ModelMask mask = ModelMask.of(Map.of("backbone.fc", kept));
        PruningState state = PruningState.NONE.cut(null, mask, ModelState.empty())
                .measured(new PruningDecision(0.6, false, "start", 0), 0.5);
        Map<String, Tensor> tensors = state.toTensors(Map.of("backbone.fc", size));
        assertEquals(5, tensors.get("pruning.current-bits/backbone.fc").size(), "100 bits, 21 to a float");
        assertEquals(mask, PruningState.fromTensors(ModelState.of(tensors)).current());

        Map<String, Tensor> earlier = new LinkedHashMap<>(tensors);
        earlier.remove("pruning.current-bits/backbone.fc");
        float[] floats = new float[size];
        kept.stream().forEach(i -> floats[i] = 1f);
        earlier.put("pruning.current/backbone.fc", new Tensor(new int[] {size}, floats));
        assertEquals(mask, PruningState.fromTensors(ModelState.of(earlier)).current());

        tensors.put("pruning.current-bits/backbone.fc", new Tensor(new int[] {1}, new float[] {0.5f}));
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
                () -> PruningState.fromTensors(ModelState.of(tensors)));
        assertTrue(damaged.getMessage().contains("pruning.current-bits/backbone.fc"), damaged.getMessage());
    }
}
