package org.fedklpr.pseudolabels;

import java.util.Arrays;

import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.eval.kreciprocal.KReciprocalEncoding;

/**
 * Every image's neighbours within a Jaccard distance of {@code eps}, on the k-reciprocal encoding of
 * the site's embeddings (the clustering input of the unsupervised re-ID methods FedCAPR builds on):
 * distances {@code 2 - 2 cos} between L2-normalised embeddings, the {@code max(k1, k2)} nearest
 * of each image kept while the rows are computed a block at a time, the encoding's weights taken from
 * distances computed for the few pairs that need them, and Jaccard distances only for pairs that
 * share a column of the encoding (every other pair is at distance 1).
 *
 * <p>The nearest search is N² dot products, nearly all the arithmetic: an engine's BLAS
 * ({@link DotProducts}, as the evaluator uses it) does them when there is one, else plain Java.
 * Memory: the nearest lists, the encoding and the neighbourhoods, all a few dozen numbers per
 * image, plus one block of {@value #BLOCK} distance rows; never an N × N matrix.
 */
final class JaccardNeighbourhoods {
    static final int BLOCK = 256;

    private JaccardNeighbourhoods() {
    }

    /**
     * @return for every image the images within {@code eps} of it, itself included, ascending
     */
    static int[][] of(float[][] embeddings, int k1, int k2, double eps, DotProducts kernel) {
        int size = embeddings.length;
        // FedCAPR's code searches the k1 nearest, the image itself among them, so its k-reciprocal sets
        // are taken among k1 entries (Zhong's re-ranking, in the evaluator, among k1 + 1).
        int[][] rank = nearest(embeddings, Math.min(size, Math.max(k1, k2)), kernel);
        KReciprocalEncoding encoding = KReciprocalEncoding.of(rank, (i, j) -> distance(embeddings[i], embeddings[j],
                i == j), k1, k2);
        double[] shared = new double[size];
        int[] touched = new int[size];
        int[][] neighbourhoods = new int[size][];
        for (int i = 0; i < size; i++) {
            int count = encoding.overlaps(i, shared, touched);
            int[] within = new int[count + 1];
            int found = 0;
            boolean self = false;
            for (int t = 0; t < count; t++) {
                int j = touched[t];
                // As the reference clamps it: a Jaccard distance below 0 (rounding) is 0.
                if (Math.max(0, KReciprocalEncoding.jaccard(shared[j])) <= eps) {
                    within[found++] = j;
                    self |= j == i;
                }
                shared[j] = 0;
            }
            if (!self) {
                within[found++] = i; // at distance 0 from itself, whatever the encoding
            }
            int[] sorted = Arrays.copyOf(within, found);
            Arrays.sort(sorted);
            neighbourhoods[i] = sorted;
        }
        return neighbourhoods;
    }

    /** For every row its {@code count} nearest rows, itself first, ties by index. */
    private static int[][] nearest(float[][] embeddings, int count, DotProducts kernel) {
        int size = embeddings.length;
        int[][] rank = new int[size][];
        float[] block = new float[Math.min(BLOCK, size) * size];
        try (DotProducts.Loaded loaded = kernel == null ? null : kernel.load(embeddings)) {
            for (int from = 0; from < size; from += BLOCK) {
                int rows = Math.min(BLOCK, size - from);
                if (loaded != null) {
                    loaded.dots(embeddings, from, rows, block);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < size; j++) {
                            block[r * size + j] = from + r == j ? 0 : Math.max(0, 2 - 2 * block[r * size + j]);
                        }
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < size; j++) {
                            block[r * size + j] = distance(embeddings[from + r], embeddings[j], from + r == j);
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    KReciprocalEncoding.NearestHeap heap = new KReciprocalEncoding.NearestHeap(count);
                    for (int j = 0; j < size; j++) {
                        heap.offer(block[r * size + j], j);
                    }
                    rank[from + r] = heap.sorted();
                }
            }
        }
        return rank;
    }

    /** {@code 2 - 2 cos}, at least 0, and exactly 0 from an image to itself. */
    static float distance(float[] a, float[] b, boolean same) {
        if (same) {
            return 0;
        }
        double dot = 0;
        for (int d = 0; d < a.length; d++) {
            dot += (double) a[d] * b[d];
        }
        return (float) Math.max(0, 2 - 2 * dot);
    }
}
