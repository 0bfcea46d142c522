package org.fedklpr.loss.triplet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.fedklpr.api.objective.TrainingStep;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class BatchHardTripletTest {
    private static TrainingStep step(NDArray features, NDArray labels) {
        return new TrainingStep(features, null, null, labels, null, Map.of(), Map.of());
    }

    @Test
    void handComputedBatch() {
        // Points on a line: identity 0 at 0 and 1, identity 1 at 3 and 5.
        // anchor 0: d(a,p)=1, nearest negative 3 -> 0;  anchor 1: 1 vs 2 -> 0
        // anchor 3: 2 vs 2 -> 0.3;                      anchor 5: 2 vs 4 -> 0
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray features = manager.create(new float[] {0, 1, 3, 5}, new Shape(4, 1));
            NDArray labels = manager.create(new int[] {0, 0, 1, 1});
            assertEquals(0.075, new BatchHardTriplet(0.3, 1).loss(step(features, labels)).getFloat(), 1e-5);
            assertEquals(0.15, new BatchHardTriplet(0.3, 2).loss(step(features, labels)).getFloat(), 1e-5);
            // A wide margin: every anchor violates it; anchor 0: 1 - 3 + 5 = 3, anchor 1: 1 - 2 + 5 = 4,
            // anchor 3: 2 - 2 + 5 = 5, anchor 5: 2 - 4 + 5 = 3 -> mean 3.75
            assertEquals(3.75, new BatchHardTriplet(5, 1).loss(step(features, labels)).getFloat(), 1e-4);
        }
    }
}
