package org.fedklpr.eval;

import java.util.Arrays;

import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.eval.kreciprocal.KReciprocalEncoding;

/**
 * k-reciprocal re-ranking (Zhong et al., CVPR 2017), as the published reference code computes it:
 * squared Euclidean distances over query and gallery together, each row divided by its maximum;
 * the k-reciprocal encoding of every entry on them ({@link KReciprocalEncoding}: k1, k2); final
 * distance {@code (1 - lambda) * jaccard + lambda * original}. Ties rank by index.
 *
 * <p>It needs the (query + gallery)² distance matrix: 4 bytes × N², 2.1 GB at Market-1501 scale.
 */
final class KReciprocalReranking {
    /** Beyond this many features the N² matrix would not fit a typical heap; refuse with a message. */
    static final int MAX_FEATURES = 30_000;

    private final int k1;
    private final int k2;
    private final double lambda;

    KReciprocalReranking(int k1, int k2, double lambda) {
        if (k1 < 1 || k2 < 1 || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("re-ranking needs k1 >= 1, k2 >= 1 and lambda in [0, 1], got " + k1
                    + ", " + k2 + ", " + lambda);
        }
        this.k1 = k1;
        this.k2 = k2;
        this.lambda = lambda;
    }

    /** Re-ranked distances, row-major: entry {@code q * gallery + g}. */
    float[] distances(FeatureSet query, FeatureSet gallery) {
        int queries = query.size();
        int all = queries + gallery.size();
        if (all > MAX_FEATURES) {
            throw new IllegalArgumentException("re-ranking " + queries + " queries against " + gallery.size()
                    + " gallery entries needs a " + all + "² distance matrix (" + (4L * all * all >> 20)
                    + " MB); it is limited to " + MAX_FEATURES + " features together: turn it off or evaluate"
                    + " a smaller set");
        }
        float[][] rows = new float[all][];
        for (int i = 0; i < all; i++) {
            rows[i] = i < queries ? query.features()[i] : gallery.features()[i - queries];
        }
        float[][] original = normalisedDistances(rows);
        int neighbours = Math.max(k1 + 1, k2);
        int[][] rank = new int[all][];
        for (int i = 0; i < all; i++) {
            rank[i] = KReciprocalEncoding.nearest(original[i], Math.min(neighbours, all));
        }
        KReciprocalEncoding encoding = KReciprocalEncoding.of(rank, (i, j) -> original[i][j], k1, k2);
        float[] result = new float[queries * gallery.size()];
        double[] shared = new double[all];
        int[] touched = new int[all];
        for (int q = 0; q < queries; q++) {
            int count = encoding.overlaps(q, shared, touched);
            for (int g = 0; g < gallery.size(); g++) {
                double jaccard = KReciprocalEncoding.jaccard(shared[queries + g]);
                // Clamped at +0 so that the scorer can order distances by their bit patterns.
                result[q * gallery.size() + g] = (float) Math.max(0,
                        jaccard * (1 - lambda) + original[q][queries + g] * lambda);
            }
            for (int t = 0; t < count; t++) {
                shared[touched[t]] = 0;
            }
        }
        return result;
    }

    /** Squared Euclidean distances, each row divided by its largest entry (the reference's normalisation). */
    private static float[][] normalisedDistances(float[][] rows) {
        int all = rows.length;
        FeatureSet everything = new FeatureSet(rows, new int[all], new int[all]);
        GalleryMatrix matrix = new GalleryMatrix(everything);
        float[][] distances = new float[all][];
        int chunk = 32;
        float[] block = new float[chunk * all];
        float[][] accumulators = GalleryMatrix.newAccumulators(chunk);
        for (int from = 0; from < all; from += chunk) {
            int count = Math.min(chunk, all - from);
            matrix.squaredDistances(rows, from, count, block, accumulators);
            for (int i = 0; i < count; i++) {
                float[] row = Arrays.copyOfRange(block, i * all, (i + 1) * all);
                row[from + i] = 0; // exactly zero to itself, whatever the rounding of |q|² + |g|² - 2 q·g
                float max = 0;
                for (float value : row) {
                    max = Math.max(max, value);
                }
                if (max > 0) {
                    for (int j = 0; j < all; j++) {
                        row[j] /= max;
                    }
                }
                distances[from + i] = row;
            }
        }
        return distances;
    }
}
