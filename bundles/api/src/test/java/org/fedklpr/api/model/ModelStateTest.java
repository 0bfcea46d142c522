package org.fedklpr.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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

    @Test
    void aStateReadOnDemandKnowsNamesAndShapesWithoutReadingAndReadsEachTimeItIsAsked() {
        ModelState inMemory = state();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        inMemory.tensors().forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        AtomicInteger reads = new AtomicInteger();
        ModelState onDemand = ModelState.readOnDemand(shapes, name -> {
            reads.incrementAndGet();
            Tensor tensor = inMemory.tensor(name);
            return new Tensor(tensor.shape(), tensor.values().clone());
        });
        assertEquals(List.copyOf(inMemory.names()), List.copyOf(onDemand.names()));
        assertArrayEquals(new int[] {3, 2}, onDemand.shape("head.weight"));
        assertEquals(10, onDemand.elementCount());
        ModelState backbone = onDemand.select(TensorScope.BACKBONE);
        assertTrue(backbone.isOnDemand());
        assertEquals(List.of("backbone.conv1.weight", "neck.runningMean"), List.copyOf(backbone.names()));
        assertEquals(0.6, ModelMask.of(Map.of("head.weight", new BitSet())).prunedFraction(onDemand), 1e-12);
        assertEquals(0, reads.get(), "names, shapes, counts and selections read nothing");

        assertEquals(inMemory.tensor("backbone.conv1.weight"), backbone.tensor("backbone.conv1.weight"));
        assertEquals(inMemory.tensor("backbone.conv1.weight"), onDemand.tensor("backbone.conv1.weight"));
        assertEquals(2, reads.get(), "every request reads: nothing is kept");
        ModelState read = onDemand.inMemory();
        assertFalse(read.isOnDemand());
        assertEquals(inMemory, read);
        assertEquals(inMemory, onDemand);
        assertSame(read, read.inMemory());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> onDemand.shape("head.bias"));
        assertEquals("model state has no tensor 'head.bias'", missing.getMessage());

        ModelState wrong = ModelState.readOnDemand(Map.of("head.weight", new int[] {6}),
                name -> inMemory.tensor(name));
        IllegalStateException mismatch = assertThrows(IllegalStateException.class, () -> wrong.tensor("head.weight"));
        assertTrue(mismatch.getMessage().contains("'head.weight' was read with shape [3, 2]"), mismatch.getMessage());
    }
}
