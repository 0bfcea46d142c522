package org.fedklpr.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelStateTest {
    private static ModelState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("backbone.conv1.weight", new Tensor(new int[] {2, 1, 1, 1}, new float[] {1, 2}));
        tensors.put("head.weight", new Tensor(new int[] {3, 2}, new float[6]));
        tensors.put("neck.runningMean", new Tensor(new int[] {2}, new float[] {0, 0}));
        return ModelState.of(tensors);
    }

    @Test
    void scopesSplitBackboneAndHeadInOrder() {
        assertEquals(List.of("backbone.conv1.weight", "neck.runningMean"),
                List.copyOf(state().select(TensorScope.BACKBONE).names()));
        assertEquals(List.of("head.weight"), List.copyOf(state().select(TensorScope.HEAD).names()));
        assertEquals(state(), state().select(TensorScope.WHOLE_MODEL));
        assertEquals(10, state().elementCount());
    }

    @Test
    void withReplacesAndAdds() {
        ModelState update = ModelState.of(Map.of("neck.runningMean", new Tensor(new int[] {2}, new float[] {5, 6}),
                "extra", new Tensor(new int[] {}, new float[] {1})));
        ModelState merged = state().with(update);
        assertEquals(List.of("backbone.conv1.weight", "head.weight", "neck.runningMean", "extra"),
                List.copyOf(merged.names()));
        assertEquals(new Tensor(new int[] {2}, new float[] {5, 6}), merged.tensor("neck.runningMean"));
    }

    @Test
    void shapesMustMatchValuesAndMissingTensorsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Tensor(new int[] {2, 2}, new float[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> state().tensor("head.bias"));
        assertEquals("model state has no tensor 'head.bias'", e.getMessage());
    }

    @Test
    void prunedFractionCountsMaskedElements() {
        BitSet kept = new BitSet();
        kept.set(0);
        ModelMask mask = ModelMask.of(Map.of("head.weight", kept));
        // 5 of 10 elements pruned: head.weight keeps 1 of its 6.
        assertEquals(0.5, mask.prunedFraction(state()), 1e-12);
        assertEquals(false, mask.isKept("head.weight", 3));
        assertEquals(true, mask.isKept("neck.runningMean", 1));
    }
}
