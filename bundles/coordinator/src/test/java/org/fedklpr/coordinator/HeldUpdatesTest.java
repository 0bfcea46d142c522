package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.wire.DenseWireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldUpdatesTest {
    private static ClientUpdate update(String client, float scale) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("backbone.conv.w", new Tensor(new int[] {2, 3}, new float[] {scale, -scale, 0, Float.MIN_VALUE,
                -0f, 1e-30f * scale}));
        tensors.put("backbone.bn.mean", new Tensor(new int[] {2}, new float[] {0, 0}));
        tensors.put("backbone.count", new Tensor(new int[0], new float[] {scale}));
        BitSet kept = new BitSet();
        kept.set(0);
        kept.set(3);
        return new ClientUpdate(client, 4, ModelState.of(tensors), ModelMask.of(Map.of("backbone.conv.w", kept)), 12,
                Map.of("klaw", 0.5));
    }

    @Test
    void aHeldUpdateReadsBackBitForBitAndItsFilesGoWhenTheRoundDoes(@TempDir Path run) {
        Path folder = run.resolve(Experiment.HELD_UPDATES);
        ClientUpdate a = update("client-a", 1.5f);
        ClientUpdate b = update("client-b", -3f);
        ClientUpdate heldA;
        ClientUpdate heldB;
        try (HeldUpdates held = new HeldUpdates(folder, new DenseWireCodec())) {
            heldA = held.hold(a);
            heldB = held.hold(b);
            assertTrue(heldA.state().isOnDemand());
            assertEquals(a.state(), heldA.state(), "values exactly as they arrived (a -0, a subnormal, zeros)");
            assertEquals(b.state(), heldB.state());
            assertEquals(a.mask(), heldA.mask());
            assertEquals(a.metrics(), heldA.metrics());
            assertEquals(a.samples(), heldA.samples());
            assertNotSame(heldA.state().tensor("backbone.count"), heldA.state().tensor("backbone.count"),
                    "read at every request, never kept");
            assertEquals(2, folder.toFile().list().length);
        }
        assertFalse(Files.exists(folder), "the round's files are deleted once it is aggregated");
        assertThrows(UncheckedIOException.class, () -> heldA.state().tensor("backbone.conv.w"),
                "an update used after its round fails loudly");
    }

    @Test
    void whatAStoppedRunLeftIsClearedAndAFolderThatCannotBeWrittenFailsTheRun(@TempDir Path run) throws IOException {
        Path folder = run.resolve(Experiment.HELD_UPDATES);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("update-0001.fklw"), "left by a run stopped inside a round");
        try (HeldUpdates held = new HeldUpdates(folder, new DenseWireCodec())) {
            assertEquals(0, folder.toFile().list().length);
            Files.delete(folder);
            Files.writeString(folder, "a file where the folder was");
            UncheckedIOException failed = assertThrows(UncheckedIOException.class, () -> held.hold(update("c", 1)));
            assertTrue(failed.getMessage().contains("cannot write client c's update"), failed.getMessage());
            Files.delete(folder);
        }
    }
}
