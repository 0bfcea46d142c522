package org.fedklpr.shell.site;

import java.util.Locale;
import java.util.SplittableRandom;

import org.fedklpr.api.pseudolabel.PseudoLabeller;
import org.fedklpr.api.pseudolabel.PseudoLabels;

/**
 * Pseudo-labelling of a Market-1501-sized site: the 12,936 training images of 751 people over six
 * cameras, as 2,048-d embeddings clustered around one point per person, labelled once by the
 * runtime's pseudo-labeller (which uses the engine's BLAS for its nearest search when there is one).
 */
final class PseudoLabelBench {
    static final int IMAGES = 12936;
    static final int PEOPLE = 751;
    static final int DIMENSION = 2048;

    private PseudoLabelBench() {
    }

    static String run(PseudoLabeller labeller) {
        SplittableRandom random = new SplittableRandom(5);
        float[][] centres = new float[PEOPLE][DIMENSION];
        for (float[] centre : centres) {
            for (int d = 0; d < DIMENSION; d++) {
                centre[d] = (float) random.nextDouble(-0.25, 0.25);
            }
        }
        float[][] embeddings = new float[IMAGES][DIMENSION];
        int[] cameras = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            float[] centre = centres[random.nextInt(PEOPLE)];
            cameras[i] = 1 + random.nextInt(6);
            double norm = 0;
            for (int d = 0; d < DIMENSION; d++) {
                embeddings[i][d] = centre[d] + (float) (0.3 * random.nextDouble(-1, 1));
                norm += embeddings[i][d] * embeddings[i][d];
            }
            for (int d = 0; d < DIMENSION; d++) {
                embeddings[i][d] /= (float) Math.sqrt(norm);
            }
        }
        long started = System.nanoTime();
        PseudoLabels labels = labeller.label(embeddings, cameras);
        double seconds = (System.nanoTime() - started) / 1e9;
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "Pseudo-labelling %d images of %d-d embeddings (%d people, 6 cameras;"
                + " Market-1501 scale), once:%n%n| seconds | clusters | images kept | proxies | Java heap in use, MB |"
                + "%n|---|---|---|---|---|%n| %.1f | %d | %d | %d | %d |%n", IMAGES, DIMENSION, PEOPLE, seconds,
                labels.clusterCount(), labels.kept(), labels.proxyCount(),
                (runtime.totalMemory() - runtime.freeMemory()) >> 20);
    }
}
