package org.fedklpr.compress.topk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.Map;

import org.fedklpr.api.compression.UpdateCompression.Compressed;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class TopKCompressionTest {
    private static final int[] TWO_BY_THREE = {2, 3};

    private static ModelState weights(float... values) {
        return ModelState.of(Map.of("conv.weight", new Tensor(TWO_BY_THREE, values)));
    }

    private static float[] values(ModelState state) {
        return state.tensor("conv.weight").values();
    }

    /** What the site does each round: add the residual to the new difference, compress, keep the rest. */
    private static ModelState plus(ModelState a, ModelState b) {
        float[] x = values(a);
        float[] y = values(b);
        float[] sum = new float[x.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = x[i] + y[i];
        }
        return weights(sum);
    }

    @Test
    void errorFeedbackSendsWhatWasLeftOutLaterOnAHandComputedSequence() {
        // k = ceil(1/3 · 6) = 2 elements per round
        TopKCompression topk = new TopKCompression(1.0 / 3);
        // round 1: difference (0.5, -3, 1, 0.2, 2, -0.1) → the two largest |·|: -3 (i 1) and 2 (i 4)
        Compressed first = topk.compress(weights(0.5f, -3f, 1f, 0.2f, 2f, -0.1f));
        assertArrayEquals(new float[] {0, -3, 0, 0, 2, 0}, values(first.sent()));
        assertArrayEquals(new float[] {0.5f, 0, 1, 0.2f, 0, -0.1f}, values(first.residual()));
        BitSet travelled = first.travelling().tensors().get("conv.weight");
        assertEquals("{1, 4}", travelled.toString());
        // round 2: difference (0.6, 0.1, 0.3, 0.9, 0, 0) + residual = (1.1, 0.1, 1.3, 1.1, 0, -0.1):
        // 1.3 (i 2) is the largest; 1.1 ties at i 0 and i 3, the lower index goes
        Compressed second = topk.compress(plus(weights(0.6f, 0.1f, 0.3f, 0.9f, 0f, 0f), first.residual()));
        assertArrayEquals(new float[] {1.1f, 0, 1.3f, 0, 0, 0}, values(second.sent()), 1e-6f);
        assertArrayEquals(new float[] {0, 0.1f, 0, 1.1f, 0, -0.1f}, values(second.residual()), 1e-6f);
        // round 3: no new change: what was left (1.1 at i 3, then 0.1 at i 1) goes out now
        Compressed third = topk.compress(plus(weights(0, 0, 0, 0, 0, 0), second.residual()));
        assertArrayEquals(new float[] {0, 0.1f, 0, 1.1f, 0, 0}, values(third.sent()), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, -0.1f}, values(third.residual()), 1e-6f);
        // nothing is lost: sent over three rounds + residual = every difference summed
        float[] total = new float[6];
        for (Compressed round : new Compressed[] {first, second, third}) {
            for (int i = 0; i < 6; i++) {
                total[i] += values(round.sent())[i];
            }
        }
        for (int i = 0; i < 6; i++) {
            total[i] += values(third.residual())[i];
        }
        assertArrayEquals(new float[] {1.1f, -2.9f, 1.3f, 1.1f, 2f, -0.1f}, total, 1e-6f);
    }

    @Test
    void biasesAndBatchNormStatisticsTravelWholeWithoutResidual() {
        ModelState state = ModelState.of(Map.of("bn.runningVar", new Tensor(new int[] {4}, new float[] {1, 2, 3, 4}),
                "conv.weight", new Tensor(TWO_BY_THREE, new float[] {1, 0, 0, 0, 0, 0})));
        Compressed compressed = new TopKCompression(0.01).compress(state);
        assertArrayEquals(new float[] {1, 2, 3, 4}, compressed.sent().tensor("bn.runningVar").values());
        assertArrayEquals(new float[4], compressed.residual().tensor("bn.runningVar").values());
        assertFalse(compressed.travelling().tensors().containsKey("bn.runningVar"), "no mask: all of it travels");
        // at least one element of every compressed tensor travels
        assertEquals(1, compressed.travelling().tensors().get("conv.weight").cardinality());
    }

    @Test
    void keptCountRoundsUpAndAFractionOutsideZeroToOneIsRefused() {
        assertEquals(1, TopKCompression.keptCount(1000, 0.0001));
        assertEquals(101, TopKCompression.keptCount(1001, 0.1));
        assertEquals(0, TopKCompression.keptCount(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new TopKCompression(0));
        assertThrows(IllegalArgumentException.class, () -> new TopKCompression(1.5));
    }
}
