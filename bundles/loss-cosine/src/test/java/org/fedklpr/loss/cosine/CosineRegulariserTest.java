package org.fedklpr.loss.cosine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.fedklpr.api.objective.TrainingStep;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

class CosineRegulariserTest {
    private static final int B = 3;
    private static final int D = 4;

    private static double reference(double[][] local, double[][] global, double weight) {
        double sum = 0;
        for (int b = 0; b < B; b++) {
            double dot = 0;
            double nl = 0;
            double ng = 0;
            for (int d = 0; d < D; d++) {
                dot += local[b][d] * global[b][d];
                nl += local[b][d] * local[b][d];
                ng += global[b][d] * global[b][d];
            }
            sum += 1 - dot / Math.sqrt(nl * ng);
        }
        return weight * sum / B;
    }

    private static double[][] gaussian(Random random) {
        double[][] values = new double[B][D];
        for (double[] row : values) {
            for (int d = 0; d < D; d++) {
                row[d] = random.nextGaussian();
            }
        }
        return values;
    }

    private static float[] flat(double[][] values) {
        float[] flat = new float[B * D];
        for (int b = 0; b < B; b++) {
            for (int d = 0; d < D; d++) {
                flat[b * D + d] = (float) values[b][d];
            }
        }
        return flat;
    }

    @Test
    void valueAndGradientMatchTheFormulaAndFiniteDifferences() {
        double[][] local = gaussian(new Random(1));
        double[][] global = gaussian(new Random(2));
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray x = manager.create(flat(local), new Shape(B, D));
            x.setRequiresGradient(true);
            NDArray g = manager.create(flat(global), new Shape(B, D));
            float value;
            try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
                NDArray term = new CosineRegulariser(0.13, 2).loss(
                        new TrainingStep(null, x, null, null, g, Map.of(), Map.of()));
                value = term.getFloat();
                collector.backward(term);
            }
            assertEquals(reference(local, global, 0.13), value, 1e-6);
            float[] gradient = x.getGradient().toFloatArray();
            double h = 1e-6;
            for (int b = 0; b < B; b++) {
                for (int d = 0; d < D; d++) {
                    double saved = local[b][d];
                    local[b][d] = saved + h;
                    double up = reference(local, global, 0.13);
                    local[b][d] = saved - h;
                    double down = reference(local, global, 0.13);
                    local[b][d] = saved;
                    assertEquals((up - down) / (2 * h), gradient[b * D + d], 1e-5, "at " + b + "," + d);
                }
            }
        }
    }

    @Test
    void leftOutOfTheRoundsBeforeItsFirst() {
        CosineRegulariser regulariser = new CosineRegulariser(0.13, 2);
        assertFalse(regulariser.activeInRound(1));
        assertTrue(regulariser.activeInRound(2));
        assertTrue(regulariser.needsGlobalEmbeddings());
    }
}
