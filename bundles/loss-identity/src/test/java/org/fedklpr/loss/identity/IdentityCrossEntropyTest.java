package org.fedklpr.loss.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.fedklpr.api.objective.TrainingStep;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class IdentityCrossEntropyTest {

    private static TrainingStep step(NDArray logits, NDArray labels) {
        return new TrainingStep(null, null, logits, labels, null, Map.of(), Map.of());
    }

    @Test
    void matchesTheHandComputedValue() {
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            // Sample 1: logits (0, ln 3) -> p = (1/4, 3/4), label 1.
            // Sample 2: logits (ln 2, 0)  -> p = (2/3, 1/3), label 0.
            NDArray logits = manager.create(new float[] {0f, (float) Math.log(3), (float) Math.log(2), 0f},
                    new Shape(2, 2));
            NDArray labels = manager.create(new int[] {1, 0});
            double eps = 0.1;
            // smoothed targets: 0.95 on the label, 0.05 on the other class
            double first = -(0.05 * Math.log(0.25) + 0.95 * Math.log(0.75));
            double second = -(0.95 * Math.log(2.0 / 3) + 0.05 * Math.log(1.0 / 3));
            float value = new IdentityCrossEntropy(eps, 2.0).loss(step(logits, labels)).getFloat();
            assertEquals(2.0 * (first + second) / 2, value, 1e-5);
            float plain = new IdentityCrossEntropy(0, 1).loss(step(logits, labels)).getFloat();
            assertEquals((-Math.log(0.75) - Math.log(2.0 / 3)) / 2, plain, 1e-5);
        }
    }

    @Test
    void rejectsSmoothingOutsideItsRange() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityCrossEntropy(1.0, 1));
    }
}
