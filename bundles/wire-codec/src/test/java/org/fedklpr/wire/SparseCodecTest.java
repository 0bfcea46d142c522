package org.fedklpr.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec.Payload;
import org.junit.jupiter.api.Test;

class SparseCodecTest {
    private static Tensor random(Random random, int... shape) {
        float[] values = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new Tensor(shape, values);
    }

    private static BitSet randomMask(Random random, int size, double keep) {
        BitSet bits = new BitSet();
        for (int i = 0; i < size; i++) {
            if (random.nextDouble() < keep) {
                bits.set(i);
            }
        }
        return bits;
    }

    /** Applies a mask: what a pruned client actually holds. */
    private static Tensor masked(Tensor tensor, BitSet kept) {
        float[] values = tensor.values().clone();
        for (int i = 0; i < values.length; i++) {
            if (!kept.get(i)) {
                values[i] = 0;
            }
        }
        return new Tensor(tensor.shape(), values);
    }

    @Test
    void roundTripsRandomMasksAtEveryDensity() {
        Random random = new Random(1);
        for (double keep : new double[] {0, 0.01, 0.3, 0.5, 0.97, 1}) {
            Tensor conv = random(random, 16, 8, 3, 3);
            BitSet kept = randomMask(random, conv.size(), keep);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("backbone.conv1.weight", masked(conv, kept));
            tensors.put("backbone.bn1.gamma", random(random, 16));
            tensors.put("empty", new Tensor(new int[] {0, 4}, new float[0]));
            ModelState state = ModelState.of(tensors);
            ModelMask mask = ModelMask.of(Map.of("backbone.conv1.weight", kept));
            Payload payload = SparseCodec.FLOAT32.decode(SparseCodec.FLOAT32.encode(state, mask));
            assertEquals(state, payload.state(), "keep " + keep);
            assertEquals(mask, payload.mask(), "keep " + keep);
        }
    }

    @Test
    void withoutAMaskZerosAreRebuiltAndNoMaskAppears() {
        float[] values = new float[1000];
        values[3] = 1.5f;
        values[999] = -2f;
        ModelState state = ModelState.of(Map.of("w", new Tensor(new int[] {10, 100}, values),
                "zeros", new Tensor(new int[] {50}, new float[50])));
        byte[] bytes = SparseCodec.FLOAT32.encode(state, null);
        Payload payload = SparseCodec.FLOAT32.decode(bytes);
        assertEquals(state, payload.state());
        assertNull(payload.mask());
        assertTrue(bytes.length < 80, "two non-zero values travel as an index list: " + bytes.length + " bytes");
    }

    @Test
    void aKeptZeroStaysInTheMask() {
        ModelMask mask = ModelMask.of(Map.of("w", BitSet.valueOf(new long[] {0b1011})));
        ModelState state = ModelState.of(Map.of("w", new Tensor(new int[] {4}, new float[] {0, 2, 0, 4})));
        Payload payload = SparseCodec.FLOAT32.decode(SparseCodec.FLOAT32.encode(state, mask));
        assertEquals(mask, payload.mask());
        assertArrayEquals(new float[] {0, 2, 0, 4}, payload.state().tensor("w").values());
    }

    @Test
    void sizesFollowTheSmallestEncoding() {
        Random random = new Random(2);
        Tensor dense = random(random, 100, 100);
        int denseBytes = DenseCodec.encode(ModelState.of(Map.of("w", dense)), null).length;
        int sparseOfDense = SparseCodec.FLOAT32.encode(ModelState.of(Map.of("w", dense)), null).length;
        assertEquals(denseBytes + 2, sparseOfDense, "a dense tensor costs two bytes more");
        BitSet half = randomMask(random, 10_000, 0.5);
        int halfBytes = SparseCodec.FLOAT32.encode(ModelState.of(Map.of("w", masked(dense, half))),
                ModelMask.of(Map.of("w", half))).length;
        double ratio = (double) halfBytes / denseBytes;
        assertTrue(ratio > 0.52 && ratio < 0.54, "half pruned: " + ratio + " of dense");
    }

    @Test
    void rejectsCorruptionTruncationAndForeignFormats() {
        Random random = new Random(3);
        Tensor t = random(random, 64, 64);
        BitSet kept = randomMask(random, t.size(), 0.3);
        byte[] bytes = SparseCodec.FLOAT32.encode(ModelState.of(Map.of("w", masked(t, kept))), ModelMask.of(Map.of("w", kept)));
        byte[] flipped = bytes.clone();
        flipped[40] ^= 1;
        assertTrue(assertThrows(FedklprException.class, () -> SparseCodec.FLOAT32.decode(flipped)).getMessage()
                .contains("checksum mismatch"));
        assertThrows(FedklprException.class, () -> SparseCodec.FLOAT32.decode(Arrays.copyOf(bytes, bytes.length / 2)));
        byte[] dense = DenseCodec.encode(ModelState.of(Map.of("w", t)), null);
        assertTrue(assertThrows(FedklprException.class, () -> SparseCodec.FLOAT32.decode(dense)).getMessage()
                .contains("FKLS"));
    }
}
