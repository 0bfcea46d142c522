package org.fedklpr.loss.prox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.fedklpr.api.objective.TrainingStep;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

class ProximalTermTest {
    @Test
    void valueIsHalfMuTimesTheSquaredDistanceAndTheGradientMuTimesTheDifference() {
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray w = manager.create(new float[] {1, 2, 3});
            NDArray head = manager.create(new float[] {5});
            w.setRequiresGradient(true);
            head.setRequiresGradient(true);
            NDArray global = manager.create(new float[] {0, 2, 5});
            float value;
            try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
                // The head has no global counterpart: it is not pulled anywhere.
                NDArray loss = new ProximalTerm(0.1).loss(new TrainingStep(null, null, null, null, null,
                        Map.of("backbone.w", w, "head.weight", head), Map.of("backbone.w", global)));
                value = loss.getFloat();
                collector.backward(loss);
            }
            // 0.1 / 2 * (1 + 0 + 4)
            assertEquals(0.25, value, 1e-6);
            assertArrayEquals(new float[] {0.1f, 0f, -0.2f}, w.getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0f}, head.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
