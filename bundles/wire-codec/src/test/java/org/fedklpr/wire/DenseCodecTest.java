package org.fedklpr.wire;

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

class DenseCodecTest {
    private static ModelState randomState(Random random) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("backbone.conv1.weight", tensor(random, 4, 3, 3, 3));
        tensors.put("neck.gamma", tensor(random, 7));
        tensors.put("empty", tensor(random, 0, 5));
        tensors.put("scalar", tensor(random));
        return ModelState.of(tensors);
    }

    private static Tensor tensor(Random random, int... shape) {
        float[] values = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new Tensor(shape, values);
    }

    @Test
    void roundTripsWithoutMask() {
        ModelState state = randomState(new Random(1));
        byte[] bytes = DenseCodec.encode(state, null);
        Payload payload = DenseCodec.decode(bytes);
        assertEquals(state, payload.state());
        assertNull(payload.mask());
        // 4 bytes per value plus framing
        assertTrue(bytes.length > 4 * state.elementCount() && bytes.length < 4 * state.elementCount() + 200);
    }

    @Test
    void roundTripsRandomMasks() {
        Random random = new Random(2);
        ModelState state = randomState(random);
        BitSet kept = new BitSet();
        for (int i = 0; i < 108; i++) {
            if (random.nextBoolean()) {
                kept.set(i);
            }
        }
        ModelMask mask = ModelMask.of(Map.of("backbone.conv1.weight", kept, "neck.gamma", new BitSet()));
        Payload payload = DenseCodec.decode(DenseCodec.encode(state, mask));
        assertEquals(state, payload.state());
        assertEquals(mask, payload.mask());
    }

    @Test
    void roundTripsAnEmptyState() {
        assertEquals(ModelState.empty(), DenseCodec.decode(DenseCodec.encode(ModelState.empty(), null)).state());
    }

    @Test
    void rejectsACorruptedPayload() {
        byte[] bytes = DenseCodec.encode(randomState(new Random(3)), null);
        bytes[bytes.length / 2] ^= 0x10;
        FedklprException e = assertThrows(FedklprException.class, () -> DenseCodec.decode(bytes));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void rejectsATruncatedPayload() {
        byte[] bytes = DenseCodec.encode(randomState(new Random(4)), null);
        FedklprException e = assertThrows(FedklprException.class,
                () -> DenseCodec.decode(Arrays.copyOf(bytes, bytes.length - 9)));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(FedklprException.class, () -> DenseCodec.decode(Arrays.copyOf(bytes, 5)));
    }

    @Test
    void rejectsForeignBytes() {
        FedklprException e = assertThrows(FedklprException.class,
                () -> DenseCodec.decode("hello, this is not a model".getBytes()));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}
