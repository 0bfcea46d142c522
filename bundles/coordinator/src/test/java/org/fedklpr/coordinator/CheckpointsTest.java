package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ClientRoundMetrics;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.wire.DenseWireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

class CheckpointsTest {
    private static ModelState state(float value) {
        return ModelState.of(Map.of("backbone.w", new Tensor(new int[] {2}, new float[] {value, -value})));
    }

    private static JsonObject settings() {
        JsonObject coordinator = new JsonObject();
        coordinator.addProperty("aggregator", "fedpav");
        JsonObject settings = new JsonObject();
        settings.add("org.fedklpr.coordinator", coordinator);
        return settings;
    }

    private static Checkpoints.Progress progress(int round, String digest) {
        return new Checkpoints.Progress(round, digest, "exp", 10L * round, 20L * round, 5, 1.5 * round, 0.1, 0.2);
    }

    @Test
    void theLastCommittedRoundIsRestoredAndOlderOnesAreRemoved(@TempDir Path run) throws IOException {
        Checkpoints checkpoints = new Checkpoints(run, new DenseWireCodec(), new Gson());
        assertTrue(checkpoints.load().isEmpty());
        checkpoints.save(progress(1, "d"), state(1), Map.of(), settings());
        checkpoints.save(progress(2, "d"), state(2), Map.of(), settings());
        Checkpoints.Restored restored = checkpoints.load().orElseThrow();
        assertEquals(progress(2, "d"), restored.progress());
        assertEquals(state(2), restored.global());
        assertFalse(Files.exists(run.resolve("checkpoint/round-0001")));
    }

    @Test
    void aDamagedCheckpointIsRefusedNamingTheFile(@TempDir Path run) throws IOException {
        Checkpoints checkpoints = new Checkpoints(run, new DenseWireCodec(), new Gson());
        checkpoints.save(progress(3, "mine"), state(3), Map.of(), settings());
        assertEquals(settings(), checkpoints.settings(3).orElseThrow());
        Files.write(run.resolve("checkpoint/round-0003/global.fklw"), new byte[] {1, 2, 3});
        FedklprException damaged = assertThrows(FedklprException.class, checkpoints::load);
        assertTrue(damaged.getMessage().contains("round-0003/global.fklw cannot be read"), damaged.getMessage());
        checkpoints.save(progress(3, "mine"), state(3), Map.of(), settings());
        Files.delete(run.resolve("checkpoint/round-0003/global.fklw"));
        FedklprException missing = assertThrows(FedklprException.class, checkpoints::load);
        assertTrue(missing.getMessage().contains("round-0003/global.fklw cannot be read (it is missing)"),
                missing.getMessage());
        Files.writeString(run.resolve("checkpoint/progress.json"), "{\"round\": ");
        FedklprException progress = assertThrows(FedklprException.class, checkpoints::progress);
        assertTrue(progress.getMessage().contains("checkpoint/progress.json cannot be read"), progress.getMessage());
    }

    @Test
    void aCheckpointThatCannotBeWrittenSaysSoNamingTheFile(@TempDir Path run) throws IOException {
        Files.writeString(run.resolve("checkpoint"), "a file where the checkpoint folder belongs");
        Checkpoints checkpoints = new Checkpoints(run, new DenseWireCodec(), new Gson());
        FedklprException e = assertThrows(FedklprException.class,
                () -> checkpoints.save(progress(1, "d"), state(1), Map.of(), settings()));
        assertTrue(e.getMessage().startsWith("cannot create the checkpoint folder"), e.getMessage());
        assertTrue(e.getMessage().contains(run.resolve("checkpoint") + " is a file, not a folder"), e.getMessage());
        assertFalse(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    private static ModelMask mask(int size, int... kept) {
        BitSet bits = new BitSet(size);
        for (int index : kept) {
            bits.set(index);
        }
        return ModelMask.of(Map.of("backbone.w", bits, "backbone.big", BitSet.valueOf(new long[] {-1L, 0L, 5L})));
    }

    @Test
    void theDownlinkMasksOfPruningClientsSurviveACheckpoint(@TempDir Path run) throws IOException {
        Checkpoints checkpoints = new Checkpoints(run, new DenseWireCodec(), new Gson());
        Map<String, ModelMask> masks = Map.of("a", mask(2, 1), "b", mask(2));
        checkpoints.save(progress(4, "d"), state(4), masks, settings());
        assertEquals(masks, checkpoints.load().orElseThrow().downlinkMasks());

        // A checkpoint without the file (written before it existed) restores no masks.
        Files.delete(run.resolve("checkpoint/round-0004/downlink-masks.bin"));
        assertEquals(Map.of(), checkpoints.load().orElseThrow().downlinkMasks());
    }

    @Test
    void damagedDownlinkMasksAreRefusedByName(@TempDir Path run) throws IOException {
        Checkpoints checkpoints = new Checkpoints(run, new DenseWireCodec(), new Gson());
        checkpoints.save(progress(5, "d"), state(5), Map.of("a", mask(2, 0)), settings());
        Path file = run.resolve("checkpoint/round-0005/downlink-masks.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        FedklprException flipped = assertThrows(FedklprException.class, checkpoints::load);
        assertTrue(flipped.getMessage().contains("downlink-masks.bin fails its checksum"), flipped.getMessage());
        Files.write(file, new byte[] {1, 2, 3});
        FedklprException truncated = assertThrows(FedklprException.class, checkpoints::load);
        assertTrue(truncated.getMessage().contains("downlink-masks.bin is truncated"), truncated.getMessage());
    }

    @Test
    void resumingDropsMetricsOfUnfinishedRounds(@TempDir Path run) throws IOException {
        RunLog log = new RunLog(run);
        for (int round = 0; round <= 3; round++) {
            log.append(List.of(new ClientRoundMetrics(round, "a", 0.5, 0.6, 0.7, 0.4, round == 0 ? null : 1.0, 1, 2,
                    "fedpav", 0.1, 5, "trained", Map.of("weight", 1.0), Map.of("crr_action", "step"))));
        }
        List<com.google.gson.JsonObject> lastKept = log.truncateAfter(1);
        assertEquals(1, lastKept.size());
        assertEquals(1, lastKept.get(0).get("round").getAsInt(), "the rows of the round resumed after");
        List<String> lines = Files.readAllLines(run.resolve(RunLog.METRICS));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"round\":0") && lines.get(0).contains("\"loss\":null"), lines.get(0));
        assertTrue(lines.get(1).contains("\"weight\":1.0") && lines.get(1).contains("\"crr_action\":\"step\""),
                lines.get(1));
    }
}
