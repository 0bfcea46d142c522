package org.fedklpr.prune.magnitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class MagnitudePruningTest {
    private static ModelState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("backbone.conv1.weight", new Tensor(new int[] {2, 2}, new float[] {0.1f, -0.9f, 0.02f, -0.2f}));
        tensors.put("backbone.bn1.gamma", new Tensor(new int[] {2}, new float[] {0.01f, 0.02f}));
        tensors.put("embedding.weight", new Tensor(new int[] {2, 2}, new float[] {0.3f, 0.05f, -0.7f, 0.4f}));
        tensors.put("embedding.bias", new Tensor(new int[] {2}, new float[] {0.001f, 0f}));
        tensors.put("head.weight", new Tensor(new int[] {1, 2}, new float[] {0f, 0f}));
        return ModelState.of(tensors);
    }

    private static BitSet bits(int... kept) {
        BitSet bits = new BitSet();
        for (int index : kept) {
            bits.set(index);
        }
        return bits;
    }

    @Test
    void globalPruningDropsTheSmallestMagnitudesAcrossLayers() {
        // prunable magnitudes: conv 0.1 0.9 0.02 0.2 | embedding 0.3 0.05 0.7 0.4; half of 8 -> 4 go:
        // 0.02, 0.05, 0.1, 0.2 (three of them in the conv layer)
        ModelMask mask = MagnitudePruning.global(state(), 0.5, null);
        assertEquals(Map.of("backbone.conv1.weight", bits(1), "embedding.weight", bits(0, 2, 3)), mask.tensors());
        assertEquals(4.0 / 14, mask.prunedFraction(state()), 1e-12);
    }

    @Test
    void perLayerPruningTakesTheRatioFromEachLayer() {
        ModelMask mask = MagnitudePruning.perLayer(state(), 0.5, null);
        assertEquals(Map.of("backbone.conv1.weight", bits(1, 3), "embedding.weight", bits(2, 3)), mask.tensors());
    }

    @Test
    void biasesNormsAndTheHeadAreNeverPruned() {
        ModelMask mask = MagnitudePruning.global(state(), 0.9, null);
        assertFalse(mask.tensors().containsKey("backbone.bn1.gamma"));
        assertFalse(mask.tensors().containsKey("embedding.bias"));
        assertFalse(mask.tensors().containsKey("head.weight"));
    }

    @Test
    void droppedElementsStayDroppedEvenWhenLarge() {
        // The previous mask dropped the largest conv weight (0.9); at ratio 0.25 (2 of 8) it stays
        // dropped and only the smallest remaining (0.02) joins it.
        ModelMask previous = ModelMask.of(Map.of("backbone.conv1.weight", bits(0, 2, 3)));
        ModelMask mask = MagnitudePruning.global(state(), 0.25, previous);
        assertEquals(bits(0, 3), mask.tensors().get("backbone.conv1.weight"));
        assertEquals(bits(0, 1, 2, 3), mask.tensors().get("embedding.weight"));
        // A lower ratio than what is in force revives nothing.
        assertEquals(bits(0, 2, 3), MagnitudePruning.global(state(), 0.0, previous).tensors()
                .get("backbone.conv1.weight"));
    }

    @Test
    void tiesAtTheThresholdGoInPositionOrder() {
        ModelState ties = ModelState.of(Map.of("a.weight", new Tensor(new int[] {2, 2}, new float[] {1, 1, 1, 1})));
        assertEquals(bits(2, 3), MagnitudePruning.global(ties, 0.5, null).tensors().get("a.weight"));
    }

    @Test
    void ratioZeroKeepsEverything() {
        assertEquals(0.0, MagnitudePruning.global(state(), 0, null).prunedFraction(state()));
    }

    /** A layer of uniformly small weights beside one of large weights (a wide late layer beside an early one). */
    private static ModelState smallAndLargeLayers() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", new Tensor(new int[] {2, 2}, new float[] {0.01f, -0.02f, 0.03f, 0.04f}));
        tensors.put("b.weight", new Tensor(new int[] {2, 2}, new float[] {0.5f, 0.6f, -0.7f, 0.8f}));
        return ModelState.of(tensors);
    }

    @Test
    void lampScoresEachWeightAgainstWhatIsLeftOfItsLayer() {
        // a: squares 1e-4 4e-4 9e-4 16e-4 -> scores 1/30 = 0.033, 4/29 = 0.138, 9/25 = 0.36, 1
        // b: squares .25 .36 .49 .64     -> scores .25/1.74 = 0.144, .36/1.49 = 0.242, .49/1.13 = 0.434, 1
        // Half of 8 go: a0, a1, b0, b1. A global threshold would have emptied layer a instead.
        ModelMask lamp = MagnitudePruning.lamp(smallAndLargeLayers(), 0.5, null);
        assertEquals(Map.of("a.weight", bits(2, 3), "b.weight", bits(2, 3)), lamp.tensors());
        assertEquals(Map.of("a.weight", bits(), "b.weight", bits(0, 1, 2, 3)),
                MagnitudePruning.global(smallAndLargeLayers(), 0.5, null).tensors());
    }

    @Test
    void lampEmptiesNoLayerWhileOtherWeightsRemainAndKeepsWhatWasDroppedDropped() {
        // Each layer's largest weight scores 1: at 6 of 8 they are what is left.
        assertEquals(Map.of("a.weight", bits(3), "b.weight", bits(3)),
                MagnitudePruning.lamp(smallAndLargeLayers(), 0.75, null).tensors());
        // At 7 of 8 the two scores of 1 tie, and ties go in position order.
        assertEquals(Map.of("a.weight", bits(), "b.weight", bits(3)),
                MagnitudePruning.lamp(smallAndLargeLayers(), 0.875, null).tensors());
        // a3 (the largest of a) was dropped before: it stays dropped and adds nothing to a's sums,
        // so a2 now scores 1 and a0 (1/14 = 0.071) is the next to go at 2 of 8.
        ModelMask previous = ModelMask.of(Map.of("a.weight", bits(0, 1, 2)));
        assertEquals(Map.of("a.weight", bits(1, 2), "b.weight", bits(0, 1, 2, 3)),
                MagnitudePruning.lamp(smallAndLargeLayers(), 0.25, previous).tensors());
    }
}
