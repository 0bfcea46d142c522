package org.fedklpr.loss.capr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fedklpr.api.objective.ProxyBatch;
import org.fedklpr.api.objective.ProxyMemory;
import org.fedklpr.api.objective.TrainingStep;
import org.fedklpr.api.pseudolabel.PseudoLabels;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

class CameraAwareProxyLossTest {
    private static final int D = 4;
    /**
     * Six memory images: pseudo-identity 0 seen by cameras 1 and 2, identity 1 by camera 1, identity 2
     * by camera 2. Proxies numbered by camera, then identity: 0 = (c1, id0), 1 = (c1, id1), 2 = (c2, id0),
     * 3 = (c2, id2).
     */
    private static final int[] CLUSTERS = {0, 0, 1, 0, 2, 2};
    private static final int[] PROXIES = {0, 0, 1, 2, 3, 3};
    private static final PseudoLabels LABELS = new PseudoLabels(CLUSTERS, 3, PROXIES, new int[] {0, 1, 0, 2},
            new int[] {1, 1, 2, 2});
    /** The batch: five images, of proxies 0, 1, 2, 3, 0 (cameras 1, 1, 2, 2, 1). */
    private static final int[] BATCH_PROXIES = {0, 1, 2, 3, 0};

    private static double[][] gaussian(Random random, int rows) {
        double[][] values = new double[rows][D];
        for (double[] row : values) {
            for (int d = 0; d < D; d++) {
                row[d] = random.nextGaussian();
            }
        }
        return values;
    }

    private static float[][] normalisedFloats(double[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double[] n = normalised(rows[i]);
            out[i] = new float[D];
            for (int d = 0; d < D; d++) {
                out[i][d] = (float) n[d];
            }
        }
        return out;
    }

    private static double[] normalised(double[] row) {
        double norm = 0;
        for (double v : row) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double[] out = new double[row.length];
        for (int d = 0; d < row.length; d++) {
            out[d] = row[d] / norm;
        }
        return out;
    }

    /** The loss written out the long way: per camera in the batch, per image, in double precision. */
    private static double reference(double[][] embeddings, ProxyMemory memory, double intraWeight,
            double interWeight, double tau, int hardNegatives) {
        int count = memory.size();
        double total = 0;
        for (int camera : new int[] {1, 2}) {
            List<Integer> ofCamera = new ArrayList<>();
            for (int i = 0; i < BATCH_PROXIES.length; i++) {
                if (memory.camera(BATCH_PROXIES[i]) == camera) {
                    ofCamera.add(i);
                }
            }
            double intra = 0;
            double inter = 0;
            for (int i : ofCamera) {
                double[] f = normalised(embeddings[i]);
                double[] s = new double[count];
                for (int p = 0; p < count; p++) {
                    float[] m = memory.row(p);
                    for (int d = 0; d < D; d++) {
                        s[p] += f[d] * m[d] / tau;
                    }
                }
                // Cross-entropy over this camera's proxies.
                List<Integer> own = new ArrayList<>();
                for (int p = 0; p < count; p++) {
                    if (memory.camera(p) == camera) {
                        own.add(p);
                    }
                }
                intra += -logSoftmax(s, own, BATCH_PROXIES[i]);
                // Association: positives, then the hardest negatives.
                int cluster = memory.cluster(BATCH_PROXIES[i]);
                List<Integer> positives = new ArrayList<>();
                List<Integer> negatives = new ArrayList<>();
                for (int p = 0; p < count; p++) {
                    (memory.cluster(p) == cluster ? positives : negatives).add(p);
                }
                negatives.sort((a, b) -> Double.compare(s[b], s[a]));
                List<Integer> chosen = new ArrayList<>(positives);
                chosen.addAll(negatives.subList(0, Math.min(hardNegatives, negatives.size())));
                double sum = 0;
                for (int p : positives) {
                    sum += logSoftmax(s, chosen, p);
                }
                inter += -sum / positives.size();
            }
            total += intraWeight * intra / ofCamera.size() + interWeight * inter / ofCamera.size();
        }
        return total;
    }

    private static double logSoftmax(double[] s, List<Integer> over, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int p : over) {
            max = Math.max(max, s[p]);
        }
        double sum = 0;
        for (int p : over) {
            sum += Math.exp(s[p] - max);
        }
        return s[target] - max - Math.log(sum);
    }

    private static ProxyMemory memory(long seed) {
        return ProxyMemory.ofCentroids(normalisedFloats(gaussian(new Random(seed), CLUSTERS.length)), LABELS);
    }

    private static float[] flat(double[][] values) {
        float[] flat = new float[values.length * D];
        for (int i = 0; i < values.length; i++) {
            for (int d = 0; d < D; d++) {
                flat[i * D + d] = (float) values[i][d];
            }
        }
        return flat;
    }

    private static TrainingStep step(NDArray embeddings, ProxyMemory memory) {
        return new TrainingStep(null, embeddings, null, null, null, Map.of(), Map.of(),
                new ProxyBatch(BATCH_PROXIES, memory));
    }

    @Test
    void valueAndGradientMatchTheLossWrittenOutAndFiniteDifferences() {
        for (int hardNegatives : new int[] {1, 50}) {
            double[][] embeddings = gaussian(new Random(7), BATCH_PROXIES.length);
            ProxyMemory memory = memory(3);
            CameraAwareProxyLoss loss = new CameraAwareProxyLoss(0.6, 0.7, 0.5, hardNegatives, 0.2);
            try (NDManager manager = NDManager.newBaseManager("MXNet")) {
                NDArray x = manager.create(flat(embeddings), new Shape(BATCH_PROXIES.length, D));
                x.setRequiresGradient(true);
                float value;
                try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
                    NDArray term = loss.loss(step(x, memory));
                    value = term.getFloat();
                    collector.backward(term);
                }
                assertEquals(reference(embeddings, memory, 0.6, 0.7, 0.5, hardNegatives), value, 1e-5,
                        "hardNegatives " + hardNegatives);
                float[] gradient = x.getGradient().toFloatArray();
                double h = 1e-6;
                for (int i = 0; i < embeddings.length; i++) {
                    for (int d = 0; d < D; d++) {
                        double saved = embeddings[i][d];
                        embeddings[i][d] = saved + h;
                        double up = reference(embeddings, memory, 0.6, 0.7, 0.5, hardNegatives);
                        embeddings[i][d] = saved - h;
                        double down = reference(embeddings, memory, 0.6, 0.7, 0.5, hardNegatives);
                        embeddings[i][d] = saved;
                        assertEquals((up - down) / (2 * h), gradient[i * D + d], 2e-4,
                                "gradient at image " + i + ", dimension " + d + ", hardNegatives " + hardNegatives);
                    }
                }
            }
        }
    }

    @Test
    void oneHardNegativeLeavesTheOthersOutOfTheAssociation() {
        // With one hard negative the loss differs from the one with all negatives: the choice matters.
        double[][] embeddings = gaussian(new Random(11), BATCH_PROXIES.length);
        ProxyMemory memory = memory(5);
        assertTrue(Math.abs(reference(embeddings, memory, 0, 1, 0.07, 1)
                - reference(embeddings, memory, 0, 1, 0.07, 50)) > 1e-3);
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray x = manager.create(flat(embeddings), new Shape(BATCH_PROXIES.length, D));
            assertEquals(reference(embeddings, memory, 0, 1, 0.07, 1),
                    new CameraAwareProxyLoss(0, 1, 0.07, 1, 0.2).loss(step(x, memory)).getFloat(), 1e-4);
        }
    }

    @Test
    void afterTheStepEachProxyFollowsItsImagesInBatchOrder() {
        ProxyMemory memory = memory(9);
        double[][] embeddings = gaussian(new Random(13), BATCH_PROXIES.length);
        float[][] features = normalisedFloats(embeddings);
        float[] proxy0 = memory.row(0);
        float[] proxy3 = memory.row(3);
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray x = manager.create(flat(embeddings), new Shape(BATCH_PROXIES.length, D));
            new CameraAwareProxyLoss(0.6, 0.7, 0.07, 50, 0.2).stepTaken(step(x, memory));
        }
        // Proxy 0 saw images 0 and 4, in that order: m ← n(0.2 m + 0.8 f0), then m ← n(0.2 m + 0.8 f4).
        double[] expected = followed(followed(proxy0, features[0]), features[4]);
        double[] expected3 = followed(proxy3, features[3]);
        for (int d = 0; d < D; d++) {
            assertEquals(expected[d], memory.row(0)[d], 1e-6);
            assertEquals(expected3[d], memory.row(3)[d], 1e-6);
        }
    }

    private static double[] followed(float[] memoryRow, float[] feature) {
        double[] moved = new double[D];
        for (int d = 0; d < D; d++) {
            moved[d] = 0.2 * memoryRow[d] + 0.8 * feature[d];
        }
        return normalised(moved);
    }

    private static double[] followed(double[] memoryRow, float[] feature) {
        float[] asFloat = new float[D];
        for (int d = 0; d < D; d++) {
            asFloat[d] = (float) memoryRow[d];
        }
        return followed(asFloat, feature);
    }

    @Test
    void theMemoryStartsAtEachProxysNormalisedCentroid() {
        float[][] embeddings = normalisedFloats(gaussian(new Random(17), CLUSTERS.length));
        ProxyMemory memory = ProxyMemory.ofCentroids(embeddings, LABELS);
        double[] mean = new double[D];
        for (int d = 0; d < D; d++) {
            mean[d] = embeddings[4][d] + embeddings[5][d];
        }
        double[] expected = normalised(mean);
        for (int d = 0; d < D; d++) {
            assertEquals(expected[d], memory.row(3)[d], 1e-6);
        }
        assertArrayEquals(embeddings[2], memory.row(1), 1e-6f);
        assertEquals(4, memory.size());
        assertEquals(2, memory.camera(3));
        assertEquals(2, memory.cluster(3));
    }

    @Test
    void trainingWithLabelsIsRefusedWithWhatToSet() {
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            NDArray x = manager.create(new float[2 * D], new Shape(2, D));
            TrainingStep labelled = new TrainingStep(null, x, null, null, null, Map.of(), Map.of());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new CameraAwareProxyLoss(0.6, 0.7, 0.07, 50, 0.2).loss(labelled));
            assertTrue(e.getMessage().contains("pseudoLabels"), e.getMessage());
        }
    }
}
