package org.fedklpr.eval;

import java.util.Arrays;

import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidMetrics;

/**
 * The Market-1501 evaluation protocol, as plain Java.
 *
 * <ul>
 * <li>Distance: squared Euclidean (on L2-normalised features it ranks exactly as cosine distance).
 * Ties keep gallery order (the earlier gallery entry ranks first), so results are deterministic.</li>
 * <li>For each query, gallery entries of the same person <em>and</em> the same camera are removed,
 * and so are junk entries (person {@code -1}); distractors (person {@code 0}) stay as non-matches.</li>
 * <li>CMC rank-k: the first remaining match lies within the first k entries.</li>
 * <li>AP is the plain (non-interpolated) average precision: the mean, over the query's remaining
 * matches, of the precision at each match's rank. (The official Market MATLAB code uses a
 * trapezoid-interpolated variant, which is slightly different.)</li>
 * <li>Queries without any remaining match (and distractor or junk queries) are left out of the
 * averages and counted in {@link ReidMetrics#queriesWithoutMatch()}.</li>
 * </ul>
 */
final class MarketProtocol {
    private static final int MAX_RANK = 10;

    private MarketProtocol() {
    }

    static ReidMetrics evaluate(FeatureSet query, FeatureSet gallery) {
        int dim = query.dimension();
        if (query.size() > 0 && gallery.size() > 0 && dim != gallery.dimension()) {
            throw new IllegalArgumentException("query features have " + dim + " dimensions but gallery features have "
                    + gallery.dimension());
        }
        float[] flatGallery = flatten(gallery.features(), dim, "gallery");
        int galleryCount = gallery.size();
        long[] ranking = new long[galleryCount];
        long[] cmc = new long[MAX_RANK];
        double apSum = 0;
        int scored = 0;
        int withoutMatch = 0;
        for (int q = 0; q < query.size(); q++) {
            float[] features = query.features()[q];
            checkFinite(features, "query", q);
            int person = query.personIds()[q];
            int camera = query.cameras()[q];
            for (int g = 0; g < galleryCount; g++) {
                // Non-negative floats order like their bit patterns, so one long sort ranks by
                // distance and breaks ties by gallery index.
                float distance = squaredDistance(features, flatGallery, g * dim, dim);
                ranking[g] = ((long) Float.floatToIntBits(distance) << 32) | g;
            }
            Arrays.sort(ranking);
            int rank = 0;
            int matches = 0;
            int firstMatch = -1;
            double precisionSum = 0;
            if (person > 0) {
                for (long entry : ranking) {
                    int g = (int) entry;
                    int galleryPerson = gallery.personIds()[g];
                    if (galleryPerson == -1 || (galleryPerson == person && gallery.cameras()[g] == camera)) {
                        continue;
                    }
                    rank++;
                    if (galleryPerson == person) {
                        matches++;
                        precisionSum += (double) matches / rank;
                        if (firstMatch < 0) {
                            firstMatch = rank;
                        }
                    }
                }
            }
            if (matches == 0) {
                withoutMatch++;
                continue;
            }
            scored++;
            apSum += precisionSum / matches;
            for (int k = firstMatch - 1; k < MAX_RANK; k++) {
                cmc[k]++;
            }
        }
        if (scored == 0) {
            return new ReidMetrics(0, 0, 0, 0, 0, withoutMatch);
        }
        return new ReidMetrics((double) cmc[0] / scored, (double) cmc[4] / scored, (double) cmc[9] / scored,
                apSum / scored, scored, withoutMatch);
    }

    private static float squaredDistance(float[] query, float[] gallery, int offset, int dim) {
        float sum = 0;
        for (int d = 0; d < dim; d++) {
            float difference = query[d] - gallery[offset + d];
            sum += difference * difference;
        }
        return sum;
    }

    private static float[] flatten(float[][] rows, int dim, String what) {
        float[] flat = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != dim) {
                throw new IllegalArgumentException(what + " feature " + i + " has " + rows[i].length
                        + " dimensions, expected " + dim);
            }
            checkFinite(rows[i], what, i);
            System.arraycopy(rows[i], 0, flat, i * dim, dim);
        }
        return flat;
    }

    private static void checkFinite(float[] row, String what, int index) {
        for (float value : row) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(what + " feature " + index + " is not finite (" + value + ")");
            }
        }
    }
}
