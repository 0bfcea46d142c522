package org.fedklpr.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.wire.DenseWireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteStateStoreTest {
    private static ModelState state(float value) {
        return ModelState.of(Map.of("head.w", new Tensor(new int[] {2}, new float[] {value, -value})));
    }

    @Test
    void aSavedRoundComesBackAndOnlyTheRoundBeforeIsKept(@TempDir Path folder) {
        SiteStateStore store = new SiteStateStore(folder, new DenseWireCodec());
        for (int round = 0; round <= 3; round++) {
            store.save("exp-1", round, state(round));
        }
        assertEquals(state(3), store.load("exp-1", 3));
        assertEquals(state(2), store.load("exp-1", 2), "the coordinator may resume from the round before");
        assertFalse(Files.exists(folder.resolve("exp-1/round-0001.fklw")));
        assertTrue(Files.exists(folder.resolve("exp-1/round-0002.fklw")));
        assertEquals(state(3), store.load("exp-1", 7), "a site away since round 3 goes on from round 3");
    }

    @Test
    void aParkedStateComesBackAsItWasAndIsGoneOnceDeleted(@TempDir Path folder) {
        SiteStateStore store = new SiteStateStore(folder.resolve("sites/client-1"), new DenseWireCodec());
        ModelState state = state(1.5f).with(ModelState.of(Map.of("pruning.current/backbone.w",
                new Tensor(new int[] {3}, new float[] {1, 0, 1}), "residual.backbone.w",
                new Tensor(new int[] {3}, new float[] {Float.MIN_VALUE, -0f, 1e-30f}))));
        store.park(state);
        assertEquals(state, store.unpark());
        store.park(state(2));
        assertEquals(state(2), store.unpark(), "parking again replaces the file");
        store.saveParked("exp-1", 4);
        assertEquals(state(2), store.load("exp-1", 4), "a parked client's checkpoint is its parked state");
        store.deleteParked();
        assertFalse(Files.exists(folder.resolve("sites/client-1/parked.fklw")));
        assertThrows(FedklprException.class, store::unpark);
    }

    @Test
    void aMissingOrDamagedStateIsNamedAndAStrangeExperimentIdRefused(@TempDir Path folder) throws IOException {
        SiteStateStore store = new SiteStateStore(folder, new DenseWireCodec());
        FedklprException missing = assertThrows(FedklprException.class, () -> store.load("exp-1", 4));
        assertTrue(missing.getMessage().contains("round-0004.fklw does not exist"), missing.getMessage());
        store.save("exp-1", 5, state(5));
        assertThrows(FedklprException.class, () -> store.load("exp-1", 4), "nothing at or before round 4");
        Path file = folder.resolve("exp-1/round-0005.fklw");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        FedklprException damaged = assertThrows(FedklprException.class, () -> store.load("exp-1", 5));
        assertTrue(damaged.getMessage().contains(file + " cannot be read"), damaged.getMessage());
        assertThrows(FedklprException.class, () -> store.save("../elsewhere", 1, state(1)));
    }

    @Test
    void aStateOfManyTensorsComesBackInOrderAndAFileOfAnEarlierVersionStillReads(@TempDir Path folder)
            throws IOException {
        SiteStateStore store = new SiteStateStore(folder, new DenseWireCodec());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int t = 9; t >= 0; t--) {
            tensors.put("tensor-" + t, new Tensor(new int[] {t + 1}, new float[t + 1]));
            tensors.get("tensor-" + t).values()[t] = t - 4.5f;
        }
        ModelState state = ModelState.of(tensors);
        store.save("exp-1", 1, state);
        ModelState back = store.load("exp-1", 1);
        assertEquals(state, back);
        assertEquals(List.copyOf(state.names()), List.copyOf(back.names()), "the tensors keep their order");

        Path earlier = folder.resolve("exp-1/round-0002.fklw");
        Files.write(earlier, new DenseWireCodec().encode(state(2), null));
        assertEquals(state(2), store.load("exp-1", 2), "an earlier version wrote the whole state as one payload");
    }

    @Test
    void aTruncatedOrOverlongStateFileIsNamed(@TempDir Path folder) throws IOException {
        SiteStateStore store = new SiteStateStore(folder, new DenseWireCodec());
        store.save("exp-1", 1, state(1).with(state(2).with(ModelState.of(Map.of("other",
                new Tensor(new int[] {4}, new float[] {1, 2, 3, 4}))))));
        Path file = folder.resolve("exp-1/round-0001.fklw");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        FedklprException truncated = assertThrows(FedklprException.class, () -> store.load("exp-1", 1));
        assertTrue(truncated.getMessage().contains(file + " cannot be read (it ends inside tensor 2 of 2)"),
                truncated.getMessage());
        Files.write(file, Arrays.copyOf(bytes, 10));
        FedklprException early = assertThrows(FedklprException.class, () -> store.load("exp-1", 1));
        assertTrue(early.getMessage().contains("(it ends early)"), early.getMessage());
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
        FedklprException longer = assertThrows(FedklprException.class, () -> store.load("exp-1", 1));
        assertTrue(longer.getMessage().contains("bytes follow its last tensor"), longer.getMessage());
    }
}
