package org.fedklpr.pseudolabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedklpr.api.pseudolabel.PseudoLabels;
import org.junit.jupiter.api.Test;

class KReciprocalDbscanLabellerTest {
    /** {@code identities} people, {@code each} images each, seen by cameras 1 and 2 in turn, shuffled. */
    private record World(float[][] embeddings, int[] identities, int[] cameras) {
    }

    private static World world(int identities, int each, int dimension, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[identities][];
        for (int p = 0; p < identities; p++) {
            centres[p] = unit(gaussian(random, dimension, 1));
        }
        int size = identities * each;
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        float[][] embeddings = new float[size][];
        int[] persons = new int[size];
        int[] cameras = new int[size];
        for (int i = 0; i < size; i++) {
            int person = order[i] / each;
            float[] offset = gaussian(random, dimension, noise);
            float[] point = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                point[d] = centres[person][d] + offset[d];
            }
            embeddings[i] = unit(point);
            persons[i] = person;
            cameras[i] = 1 + order[i] % 2;
        }
        return new World(embeddings, persons, cameras);
    }

    private static float[] gaussian(SplittableRandom random, int dimension, double scale) {
        float[] values = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            // Box-Muller from two uniforms: SplittableRandom has no nextGaussian on Java 17.
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            values[d] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return values;
    }

    private static float[] unit(float[] values) {
        double norm = 0;
        for (float value : values) {
            norm += value * value;
        }
        float[] unit = new float[values.length];
        for (int d = 0; d < values.length; d++) {
            unit[d] = (float) (values[d] / Math.sqrt(norm));
        }
        return unit;
    }

    @Test
    void wellSeparatedPeopleAreRecoveredExactlyWithAProxyPerPersonAndCamera() {
        World world = world(5, 24, 64, 0.08, 3);
        PseudoLabels labels = KReciprocalDbscanLabeller.label(world.embeddings(), world.cameras(), 0.5, 4, 20, 6);
        assertEquals(5, labels.clusterCount());
        assertEquals(world.embeddings().length, labels.kept(), "nobody is left out");
        Map<Integer, Integer> personOfCluster = new HashMap<>();
        Map<Integer, Integer> clusterOfPerson = new HashMap<>();
        for (int i = 0; i < world.identities().length; i++) {
            int cluster = labels.clusters()[i];
            int person = world.identities()[i];
            // One cluster per person and one person per cluster: the partitions are equal.
            Integer personSeen = personOfCluster.putIfAbsent(cluster, person);
            Integer clusterSeen = clusterOfPerson.putIfAbsent(person, cluster);
            assertEquals(person, personSeen == null ? person : personSeen, "image " + i);
            assertEquals(cluster, clusterSeen == null ? cluster : clusterSeen, "image " + i);
        }
        assertEquals(10, labels.proxyCount(), "five people, two cameras each");
        for (int i = 0; i < world.identities().length; i++) {
            int proxy = labels.proxies()[i];
            assertEquals(labels.clusters()[i], labels.proxyCluster()[proxy]);
            assertEquals(world.cameras()[i], labels.proxyCamera()[proxy]);
        }
        for (int p = 1; p < labels.proxyCount(); p++) {
            assertTrue(labels.proxyCamera()[p - 1] < labels.proxyCamera()[p]
                    || labels.proxyCamera()[p - 1] == labels.proxyCamera()[p]
                            && labels.proxyCluster()[p - 1] < labels.proxyCluster()[p], "ordered by camera, cluster");
        }
    }

    @Test
    void fewerImagesThanACorePointNeedsLeaveEveryoneOut() {
        // Three images can never be four within eps: no cluster, no proxy, everyone sits out.
        World tiny = world(1, 3, 16, 0.01, 9);
        PseudoLabels labels = KReciprocalDbscanLabeller.label(tiny.embeddings(), tiny.cameras(), 0.5, 4, 20, 6);
        assertEquals(0, labels.clusterCount());
        assertEquals(0, labels.kept());
        assertEquals(0, labels.proxyCount());
        assertEquals(-1, labels.proxies()[0]);
    }

    @Test
    void theSameEmbeddingsGiveTheSameLabels() {
        World world = world(4, 20, 32, 0.15, 5);
        PseudoLabels first = KReciprocalDbscanLabeller.label(world.embeddings(), world.cameras(), 0.5, 4, 20, 6);
        PseudoLabels again = KReciprocalDbscanLabeller.label(world.embeddings(), world.cameras(), 0.5, 4, 20, 6);
        assertEquals(java.util.Arrays.toString(first.clusters()), java.util.Arrays.toString(again.clusters()));
    }

    /** Kernels round in the last bits, which may reorder near-ties: on well-separated people they agree. */
    @Test
    void anEnginesKernelGivesTheLabelsOfThePlainJavaSearch() {
        World world = world(6, 22, 64, 0.08, 13);
        PseudoLabels plain = KReciprocalDbscanLabeller.label(world.embeddings(), world.cameras(), 0.5, 4, 20, 6);
        PseudoLabels kernel = KReciprocalDbscanLabeller.label(world.embeddings(), world.cameras(), 0.5, 4, 20, 6,
                new RowByRowDotProducts());
        assertEquals(java.util.Arrays.toString(plain.clusters()), java.util.Arrays.toString(kernel.clusters()));
        assertEquals(6, kernel.clusterCount());
    }

    /** A kernel as an engine offers one: products of a whole block of rows with every loaded row. */
    private static final class RowByRowDotProducts implements org.fedklpr.api.eval.DotProducts {
        @Override
        public Loaded load(float[][] rows) {
            return new Loaded() {
                @Override
                public int size() {
                    return rows.length;
                }

                @Override
                public void dots(float[][] queries, int from, int count, float[] out) {
                    for (int i = 0; i < count; i++) {
                        for (int j = 0; j < rows.length; j++) {
                            float sum = 0;
                            for (int d = 0; d < rows[j].length; d++) {
                                sum += queries[from + i][d] * rows[j][d];
                            }
                            out[i * rows.length + j] = sum;
                        }
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void mismatchedInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KReciprocalDbscanLabeller.label(new float[2][3],
                new int[3], 0.5, 4, 20, 6));
        assertThrows(IllegalArgumentException.class, () -> KReciprocalDbscanLabeller.label(
                new float[][] {{1, 0}, {1}}, new int[2], 0.5, 4, 20, 6));
    }
}
