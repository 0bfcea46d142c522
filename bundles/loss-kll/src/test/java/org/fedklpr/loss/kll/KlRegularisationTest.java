package org.fedklpr.loss.kll;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class KlRegularisationTest {
    private static final int B = 3;
    private static final int D = 5;

    private static TrainingStep step(NDArray local, NDArray global) {
        return new TrainingStep(null, local, null, null, global, Map.of(), Map.of());
    }

    /** The same loss in double precision, written out. */
    private static double reference(double[][] local, double[][] global, double lambda, double tau) {
        double sum = 0;
        for (int b = 0; b < local.length; b++) {
            double[] p = softmax(global[b], tau);
            double[] q = softmax(local[b], tau);
            for (int d = 0; d < p.length; d++) {
                sum += p[d] * (Math.log(p[d]) - Math.log(q[d]));
            }
        }
        return lambda * sum / local.length;
    }

    private static double[] softmax(double[] row, double tau) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v / tau);
        }
        double[] out = new double[row.length];
        double total = 0;
        for (int d = 0; d < row.length; d++) {
            out[d] = Math.exp(row[d] / tau - max);
            total += out[d];
        }
        for (int d = 0; d < row.length; d++) {
            out[d] /= total;
        }
        return out;
    }

    private static double[][] random(Random random) {
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
        Random random = new Random(4);
        double lambda = 0.5;
        double tau = 2.0;
        double[][] local = random(random);
        double[][] global = random(random);
        KlRegularisation kll = new KlRegularisation(lambda, tau);
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray localArray = manager.create(flat(local), new Shape(B, D));
            localArray.setRequiresGradient(true);
            NDArray globalArray = manager.create(flat(global), new Shape(B, D));
            float value;
            try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
                NDArray loss = kll.loss(step(localArray, globalArray));
                value = loss.getFloat();
                collector.backward(loss);
            }
            assertEquals(reference(local, global, lambda, tau), value, 1e-5);
            float[] gradient = localArray.getGradient().toFloatArray();
            double h = 1e-5;
            for (int b = 0; b < B; b++) {
                double[] p = softmax(global[b], tau);
                double[] q = softmax(local[b], tau);
                for (int d = 0; d < D; d++) {
                    double analytic = lambda / tau * (q[d] - p[d]) / B;
                    double saved = local[b][d];
                    local[b][d] = saved + h;
                    double up = reference(local, global, lambda, tau);
                    local[b][d] = saved - h;
                    double down = reference(local, global, lambda, tau);
                    local[b][d] = saved;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(analytic, numeric, 1e-7, "finite difference at " + b + "," + d);
                    assertEquals(analytic, gradient[b * D + d], 1e-6, "autograd at " + b + "," + d);
                }
            }
        }
    }

    @Test
    void identicalEmbeddingsCostNothing() {
        double[][] same = random(new Random(5));
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray a = manager.create(flat(same), new Shape(B, D));
            assertEquals(0, new KlRegularisation(1, 1).loss(step(a, a.duplicate())).getFloat(), 1e-6);
            assertTrue(new KlRegularisation(1, 1).needsGlobalEmbeddings());
        }
    }
}
