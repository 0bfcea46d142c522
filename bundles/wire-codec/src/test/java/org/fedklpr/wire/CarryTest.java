package org.fedklpr.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.api.transport.WireCodec.Carried;
import org.junit.jupiter.api.Test;

/** Each codec's tensor-at-a-time {@code carry} gives exactly what encoding and decoding the whole model gives. */
class CarryTest {
    private static final List<WireCodec> CODECS = List.of(new DenseWireCodec(), new SparseWireCodec(),
            new Fp16WireCodec(), new Int8WireCodec());

    /**
     * Dense, half-zero, masked, scalar and empty tensors, a NaN and an infinity for the float32
     * formats (the quantised ones refuse them), a mask with a bit past its tensor's end, and one tensor the mask does not list.
     */
    private static ModelState model(Random random, boolean nonFinite) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        float[] conv = new float[6 * 3 * 3 * 3];
        for (int i = 0; i < conv.length; i++) {
            conv[i] = (float) random.nextGaussian() * 0.1f;
        }
        tensors.put("backbone.conv.w", new Tensor(new int[] {6, 3, 3, 3}, conv));
        float[] sparse = new float[300];
        for (int i = 0; i < sparse.length; i += 1 + random.nextInt(3)) {
            sparse[i] = random.nextFloat() - 0.5f;
        }
        tensors.put("backbone.sparse", new Tensor(new int[] {300}, sparse));
        tensors.put("backbone.odd", new Tensor(new int[] {4}, nonFinite
                ? new float[] {Float.NaN, 1, Float.POSITIVE_INFINITY, 0} : new float[] {-2, 1, 0.5f, 0}));
        tensors.put("backbone.count", new Tensor(new int[0], new float[] {7}));
        tensors.put("backbone.empty", new Tensor(new int[] {0, 5}, new float[0]));
        float[] fc = new float[12 * 10];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = random.nextFloat() * 2 - 1;
        }
        tensors.put("head.fc.w", new Tensor(new int[] {12, 10}, fc));
        return ModelState.of(tensors);
    }

    private static ModelMask mask(Random random, ModelState model) {
        Map<String, BitSet> kept = new LinkedHashMap<>();
        for (String name : List.of("backbone.conv.w", "head.fc.w")) {
            BitSet bits = new BitSet();
            for (int i = 0; i < model.tensor(name).size(); i++) {
                if (random.nextDouble() < 0.6) {
                    bits.set(i);
                }
            }
            kept.put(name, bits);
        }
        kept.get("head.fc.w").set(model.tensor("head.fc.w").size() + 3); // past the end: not part of the tensor
        return ModelMask.of(kept);
    }

    @Test
    void carryingEqualsEncodingAndDecodingTheWholeModel() {
        for (WireCodec codec : CODECS) {
            for (long seed = 1; seed <= 5; seed++) {
                Random random = new Random(seed);
                boolean quantised = codec instanceof Fp16WireCodec || codec instanceof Int8WireCodec;
                ModelState model = model(random, !quantised);
                for (ModelMask mask : new ModelMask[] {null, mask(random, model), ModelMask.of(Map.of())}) {
                    byte[] whole = codec.encode(model, mask);
                    Carried carried = codec.carry(model, mask);
                    String what = codec.getClass().getSimpleName() + ", seed " + seed + ", mask " + mask;
                    assertEquals(codec.decode(whole), carried.payload(), what);
                    assertEquals(whole.length, carried.bytes(), what);
                    if (mask == null) {
                        assertNull(carried.payload().mask(), what);
                    } else {
                        assertNotNull(carried.payload().mask(), what);
                    }
                }
            }
        }
    }

    @Test
    void anEmptyModelIsCarriedAsItsFrameAloneAndWhatEncodingRefusesCarryingRefuses() {
        for (WireCodec codec : CODECS) {
            Carried carried = codec.carry(ModelState.empty(), null);
            ModelState withNaN = model(new Random(1), true);
            if (codec instanceof Fp16WireCodec || codec instanceof Int8WireCodec) {
                FedklprException refused = assertThrows(FedklprException.class, () -> codec.encode(withNaN, null));
                assertEquals(refused.getMessage(), assertThrows(FedklprException.class,
                        () -> codec.carry(withNaN, null)).getMessage(), "carrying refuses what encoding refuses");
            }
            assertEquals(codec.encode(ModelState.empty(), null).length, carried.bytes());
            assertEquals(ModelState.empty(), carried.payload().state());
        }
    }
}
