package org.fedklpr.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.wire.DenseWireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidualUpdatesTest {
    private static ModelState one(String name, float... values) {
        return ModelState.of(Map.of(name, new Tensor(new int[] {values.length}, values)));
    }

    @Test
    void theCorrectedDifferenceIsTrainedMinusGlobalPlusWhatWasCarried() {
        ModelState trained = one("w", 1.5f, -2f, 0f);
        ModelState global = one("w", 1f, -1f, 0.5f);
        assertArrayEquals(new float[] {0.5f, -1f, -0.5f}, ResidualUpdates.corrected(trained, global,
                ModelState.empty()).tensor("w").values(), "the first round carries nothing");
        assertArrayEquals(new float[] {0.75f, -1f, 0f}, ResidualUpdates.corrected(trained, global,
                one("w", 0.25f, 0f, 0.5f)).tensor("w").values());
    }

    /** The residual is part of what a site saves each round and comes back from its checkpoint. */
    @Test
    void theResidualTravelsThroughTheSitesCheckpoint(@TempDir Path folder) {
        ModelState residual = one("backbone.conv1.weight", 0.125f, -3f);
        Map<String, Tensor> saved = new LinkedHashMap<>(one("head.weight", 1f, 2f).tensors());
        saved.putAll(ResidualUpdates.toTensors(residual));
        SiteStateStore store = new SiteStateStore(folder, new DenseWireCodec());
        store.save("exp", 4, ModelState.of(saved));
        ModelState loaded = store.load("exp", 4);
        assertEquals(residual, ResidualUpdates.fromTensors(loaded));
        assertEquals(ModelState.empty(), ResidualUpdates.fromTensors(one("head.weight", 1f)),
                "a site that used no compression carries nothing");
    }
}
