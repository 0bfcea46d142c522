package org.fedklpr.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec.Payload;
import org.junit.jupiter.api.Test;

/** The fp16 and int8 codecs: error bounds per element, what they refuse, and their edge cases. */
class QuantisedCodecTest {

    private static Tensor gaussian(Random random, float spread, int... shape) {
        float[] values = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * spread;
        }
        return new Tensor(shape, values);
    }

    /** A model with a conv weight, a vector, a scalar and a masked tensor whose pruned elements are 0. */
    private static Payload sent(Random random) {
        Tensor conv = gaussian(random, 0.05f, 8, 3, 3, 3);
        Tensor bias = gaussian(random, 1f, 8);
        Tensor scalar = new Tensor(new int[0], new float[] {3.25f});
        Tensor fc = gaussian(random, 0.2f, 16, 32);
        BitSet kept = new BitSet();
        float[] pruned = fc.values();
        for (int i = 0; i < pruned.length; i++) {
            if (random.nextDouble() < 0.4) {
                kept.set(i);
            } else {
                pruned[i] = 0;
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv.w", conv);
        tensors.put("conv.b", bias);
        tensors.put("bn.count", scalar);
        tensors.put("fc.w", fc);
        return new Payload(ModelState.of(tensors), ModelMask.of(Map.of("fc.w", kept)));
    }

    @Test
    void everyFiniteHalfSurvivesTheRoundTrip() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if (((bits >>> 10) & 0x1F) == 0x1F) {
                continue; // infinities and NaN are never written
            }
            float value = HalfFloats.toFloat((short) bits, "t", 0);
            assertEquals(bits, HalfFloats.toHalf(value) & 0xFFFF, "half " + Integer.toHexString(bits));
        }
    }

    @Test
    void floatToHalfRoundsToNearestWithTiesToEven() {
        Random random = new Random(11);
        for (int k = 0; k < 200_000; k++) {
            // magnitudes from the subnormals to near the largest half
            float value = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 26));
            if (Math.abs(value) >= 65504f) {
                continue;
            }
            short half = HalfFloats.toHalf(value);
            float decoded = HalfFloats.toFloat(half, "t", 0);
            // no neighbouring half is nearer
            for (int step : new int[] {-1, 1}) {
                int neighbour = (half & 0xFFFF) + step;
                if (neighbour < 0 || ((neighbour >>> 10) & 0x1F) == 0x1F || (neighbour & 0x7FFF) == 0x7FFF) {
                    continue;
                }
                float other = HalfFloats.toFloat((short) neighbour, "t", 0);
                if (Math.signum(other) == Math.signum(decoded) || other == 0f) {
                    assertTrue(Math.abs((double) value - decoded) <= Math.abs((double) value - other),
                            value + " went to " + decoded + " though " + other + " is nearer");
                }
            }
        }
        // exact ties between two halves go to the one with an even last bit
        assertEquals(0x3C00, HalfFloats.toHalf(1f + 0x1p-11f)); // between 1 (even) and 1 + 2^-10
        assertEquals(0x3C02, HalfFloats.toHalf(1f + 3 * 0x1p-11f)); // between 1 + 2^-10 and 1 + 2^-9 (even)
        assertEquals(0x0000, HalfFloats.toHalf(0x1p-25f)); // half the smallest subnormal: to zero (even)
        assertEquals(0x0002, HalfFloats.toHalf(3 * 0x1p-25f)); // between subnormals 1 and 2: to 2
        assertEquals(0x7BFF, HalfFloats.toHalf(65504f));
        assertEquals((short) 0x8000, HalfFloats.toHalf(-0f));
    }

    @Test
    void halfPrecisionRefusesWhatItCannotHold() {
        FedklprException tooLarge = assertThrows(FedklprException.class, () -> HalfFloats.toHalf(65520f));
        assertTrue(tooLarge.getMessage().contains("65520.0"), tooLarge.getMessage());
        ModelState nan = ModelState.of(Map.of("layer.w", new Tensor(new int[] {3}, new float[] {1, Float.NaN, 2})));
        FedklprException refused = assertThrows(FedklprException.class, () -> SparseCodec.FLOAT16.encode(nan, null));
        assertTrue(refused.getMessage().contains("'layer.w' element 1 is NaN"), refused.getMessage());
        ModelState infinite = ModelState.of(Map.of("w", new Tensor(new int[] {2, 1},
                new float[] {Float.NEGATIVE_INFINITY, 0})));
        assertThrows(FedklprException.class, () -> SparseCodec.FLOAT16.encode(infinite, null));
        assertThrows(FedklprException.class, () -> SparseCodec.INT8.encode(infinite, null));
    }

    @Test
    void fp16KeepsEveryValueWithinHalfAUnitInTheLastPlace() {
        Payload sent = sent(new Random(3));
        Payload received = SparseCodec.FLOAT16.decode(SparseCodec.FLOAT16.encode(sent.state(), sent.mask()));
        assertEquals(sent.mask(), received.mask());
        for (Map.Entry<String, Tensor> entry : sent.state().tensors().entrySet()) {
            float[] before = entry.getValue().values();
            float[] after = received.state().tensor(entry.getKey()).values();
            assertArrayEquals(entry.getValue().shape(), received.state().tensor(entry.getKey()).shape());
            for (int i = 0; i < before.length; i++) {
                double unit = Math.max(0x1p-24, Math.ulp(before[i]) * 0x1p13); // a half's spacing near the value
                assertTrue(Math.abs(before[i] - after[i]) <= unit / 2, entry.getKey() + "[" + i + "]: " + before[i]
                        + " came back as " + after[i]);
                if (before[i] == 0f) {
                    assertEquals(0f, after[i]);
                }
            }
        }
    }

    @Test
    void int8KeepsEveryValueWithinHalfItsChannelsScale() {
        Payload sent = sent(new Random(5));
        Payload received = SparseCodec.INT8.decode(SparseCodec.INT8.encode(sent.state(), sent.mask()));
        assertEquals(sent.mask(), received.mask());
        for (Map.Entry<String, Tensor> entry : sent.state().tensors().entrySet()) {
            Tensor tensor = entry.getValue();
            float[] before = tensor.values();
            float[] after = received.state().tensor(entry.getKey()).values();
            if (tensor.shape().length < 2) {
                // vectors and scalars travel as float32
                assertArrayEquals(before, after, entry.getKey());
                continue;
            }
            int channels = tensor.shape()[0];
            int perChannel = before.length / channels;
            for (int c = 0; c < channels; c++) {
                float largest = 0;
                for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                    largest = Math.max(largest, Math.abs(before[i]));
                }
                double scale = largest / 127.0;
                for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                    assertTrue(Math.abs(before[i] - after[i]) <= scale / 2 * (1 + 1e-5), entry.getKey() + "[" + i
                            + "]: " + before[i] + " came back as " + after[i] + ", channel scale " + scale);
                }
                if (largest > 0) {
                    // the largest magnitude of each channel is a level of its own: it comes back (nearly) exact
                    assertTrue(largest - maxAbs(after, c * perChannel, (c + 1) * perChannel) <= largest * 1e-6);
                }
            }
        }
    }

    private static float maxAbs(float[] values, int from, int to) {
        float largest = 0;
        for (int i = from; i < to; i++) {
            largest = Math.max(largest, Math.abs(values[i]));
        }
        return largest;
    }

    @Test
    void int8RoundsToNearestLevelWithTiesToEven() {
        assertEquals(2, Int8Channels.quantise(1.25f, 0.5f)); // 2.5 -> 2
        assertEquals(4, Int8Channels.quantise(1.75f, 0.5f)); // 3.5 -> 4
        assertEquals(-2, Int8Channels.quantise(-1.25f, 0.5f));
        assertEquals(3, Int8Channels.quantise(1.6f, 0.5f));
        assertEquals(127, Int8Channels.quantise(100f, 0.5f));
        assertEquals(-127, Int8Channels.quantise(-100f, 0.5f));
        assertEquals(0, Int8Channels.quantise(0.3f, 0f));
        // one scale per output channel: a channel of small weights keeps its resolution
        float[] values = {1f, -0.5f, 0.25f, 0.001f, 0.002f, -0.003f};
        Tensor two = new Tensor(new int[] {2, 3}, values);
        float[] back = SparseCodec.INT8.decode(SparseCodec.INT8.encode(ModelState.of(Map.of("w", two)), null))
                .state().tensor("w").values();
        assertEquals(-0.003f, back[5], 0.003f / 127 / 2 * 1.0001);
        assertEquals(0.001f, back[3], 0.003f / 127 / 2 * 1.0001);
    }

    @Test
    void emptyAndAllPrunedTensorsTravel() {
        for (SparseCodec codec : new SparseCodec[] {SparseCodec.FLOAT16, SparseCodec.INT8}) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("empty", new Tensor(new int[] {0, 4}, new float[0]));
            tensors.put("zeros", new Tensor(new int[] {4, 2}, new float[8]));
            tensors.put("pruned", new Tensor(new int[] {3, 3}, new float[9]));
            ModelMask mask = ModelMask.of(Map.of("pruned", new BitSet()));
            Payload back = codec.decode(codec.encode(ModelState.of(tensors), mask));
            assertEquals(0, back.state().tensor("empty").size(), codec.name());
            assertArrayEquals(new float[8], back.state().tensor("zeros").values(), codec.name());
            assertArrayEquals(new float[9], back.state().tensor("pruned").values(), codec.name());
            assertTrue(back.mask().tensors().get("pruned").isEmpty(), codec.name());
            assertNull(codec.decode(codec.encode(ModelState.empty(), null)).mask());
        }
    }

    @Test
    void quantisedPayloadsAreSmallerAndNamedByTheirMagic() {
        Tensor dense = gaussian(new Random(8), 0.1f, 64, 16, 3, 3);
        ModelState state = ModelState.of(Map.of("w", dense));
        int float32 = SparseCodec.FLOAT32.encode(state, null).length;
        int half = SparseCodec.FLOAT16.encode(state, null).length;
        int int8 = SparseCodec.INT8.encode(state, null).length;
        assertEquals(2 * dense.size(), half - (float32 - 4 * dense.size()));
        assertEquals(dense.size() + 4 * 64, int8 - (float32 - 4 * dense.size()));
        ModelState vector = ModelState.of(Map.of("b", new Tensor(new int[] {100}, Arrays.copyOf(dense.values(), 100))));
        assertEquals(SparseCodec.FLOAT32.encode(vector, null).length - 4, SparseCodec.INT8.encode(vector, null).length
                - 4);
        FedklprException wrongCodec = assertThrows(FedklprException.class,
                () -> SparseCodec.INT8.decode(SparseCodec.FLOAT16.encode(state, null)));
        assertTrue(wrongCodec.getMessage().contains("FKL8"), wrongCodec.getMessage());
    }

    @Test
    void aDecoderRefusesWhatNoEncoderWrites() {
        ModelState state = ModelState.of(Map.of("w", new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4})));
        // fp16: a NaN half in place of the first value (dense layout: values start 8 bytes before the CRC)
        byte[] half = SparseCodec.FLOAT16.encode(state, null);
        ByteBuffer.wrap(half).order(ByteOrder.LITTLE_ENDIAN).putShort(half.length - 4 - 8, (short) 0x7E00);
        FedklprException nan = assertThrows(FedklprException.class, () -> SparseCodec.FLOAT16.decode(resealed(half)));
        assertTrue(nan.getMessage().contains("'w' element 0 is NaN"), nan.getMessage());
        // int8: the level -128, and a negative scale
        byte[] levels = SparseCodec.INT8.encode(state, null);
        levels[levels.length - 4 - 1] = Byte.MIN_VALUE;
        assertTrue(assertThrows(FedklprException.class, () -> SparseCodec.INT8.decode(resealed(levels)))
                .getMessage().contains("-128"));
        byte[] scale = SparseCodec.INT8.encode(state, null);
        ByteBuffer.wrap(scale).order(ByteOrder.LITTLE_ENDIAN).putFloat(scale.length - 4 - 4 - 4, -1f);
        assertTrue(assertThrows(FedklprException.class, () -> SparseCodec.INT8.decode(resealed(scale)))
                .getMessage().contains("scale -1.0"));
    }

    /** The payload with a fresh CRC, as a sender with a bug (not a broken wire) would make it. */
    private static byte[] resealed(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }
}
