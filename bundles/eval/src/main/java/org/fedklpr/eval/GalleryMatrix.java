package org.fedklpr.eval;

import java.util.Arrays;

import org.fedklpr.api.eval.FeatureSet;

/**
 * The gallery laid out for distance computation. Squared Euclidean distances come from
 * {@code |q|² + |g|² − 2 q·g}, and the dot products are computed as a blocked matrix product
 * whose inner loop is {@code dot[j] += q[d] · row[j]} over {@value #TILE} gallery entries.
 *
 * <p>Why this shape (measured on the 2-core build machine, see docs/BENCHMARKS.md): the JIT turns
 * that loop into SIMD multiply-adds only when both arrays are indexed by the same {@code j} (it
 * cannot rule out aliasing otherwise), so each tile keeps one array per feature dimension; and a
 * block of {@value #DIMENSION_BLOCK} dimensions × {@value #TILE} entries (32 KB) is reused by
 * every query of a chunk while it sits in the L1 cache. That runs at about 40 GFLOP/s per core,
 * against 6 for the same loop over one flat array.
 */
final class GalleryMatrix {
    static final int TILE = 512;
    static final int DIMENSION_BLOCK = 16;

    private final int dimension;
    private final int size;
    /** tiles[t][d][j]: dimension d of gallery entry t·TILE + j. */
    private final float[][][] tiles;
    private final float[] norms;

    GalleryMatrix(FeatureSet gallery) {
        this.dimension = gallery.dimension();
        this.size = gallery.size();
        this.norms = new float[size];
        this.tiles = new float[(size + TILE - 1) / TILE][][];
        for (int t = 0; t < tiles.length; t++) {
            int first = t * TILE;
            int width = Math.min(TILE, size - first);
            float[][] tile = new float[dimension][width];
            for (int j = 0; j < width; j++) {
                float[] row = gallery.features()[first + j];
                FeatureChecks.check(row, dimension, "gallery", first + j);
                for (int d = 0; d < dimension; d++) {
                    tile[d][j] = row[d];
                }
                norms[first + j] = squaredNorm(row);
            }
            tiles[t] = tile;
        }
    }

    int size() {
        return size;
    }

    /** Scratch space for one thread's calls of {@link #squaredDistances} with up to {@code queries} rows. */
    static float[][] newAccumulators(int queries) {
        return new float[queries][TILE];
    }

    /**
     * Writes the squared distance of query {@code from + i} ({@code 0 <= i < count}) to gallery
     * entry {@code g} at {@code out[i * size() + g]}. Distances are clamped at +0 so that their
     * bit patterns order like their values.
     */
    void squaredDistances(float[][] queries, int from, int count, float[] out, float[][] accumulators) {
        float[] queryNorms = new float[count];
        for (int i = 0; i < count; i++) {
            queryNorms[i] = squaredNorm(queries[from + i]);
        }
        for (int t = 0; t < tiles.length; t++) {
            float[][] tile = tiles[t];
            int first = t * TILE;
            int width = Math.min(TILE, size - first);
            for (int i = 0; i < count; i++) {
                Arrays.fill(accumulators[i], 0, width, 0f);
            }
            for (int block = 0; block < dimension; block += DIMENSION_BLOCK) {
                int end = Math.min(dimension, block + DIMENSION_BLOCK);
                for (int i = 0; i < count; i++) {
                    float[] query = queries[from + i];
                    float[] dot = accumulators[i];
                    for (int d = block; d < end; d++) {
                        float x = query[d];
                        float[] row = tile[d];
                        for (int j = 0; j < width; j++) {
                            dot[j] += x * row[j];
                        }
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                float[] dot = accumulators[i];
                float queryNorm = queryNorms[i];
                int offset = i * size + first;
                for (int j = 0; j < width; j++) {
                    out[offset + j] = squaredDistance(queryNorm, norms[first + j], dot[j]);
                }
            }
        }
    }

    /**
     * Turns the dot products of one query with every gallery entry, {@code values[offset + j]}, into
     * squared distances in place (for dot products from another kernel).
     */
    static void toSquaredDistances(float[] values, int offset, float queryNorm, float[] galleryNorms) {
        for (int j = 0; j < galleryNorms.length; j++) {
            values[offset + j] = squaredDistance(queryNorm, galleryNorms[j], values[offset + j]);
        }
    }

    /** Clamped at +0 so that the bit patterns of distances order like their values. */
    private static float squaredDistance(float queryNorm, float galleryNorm, float dot) {
        return Math.max(0f, queryNorm + galleryNorm - 2 * dot);
    }

    static float squaredNorm(float[] row) {
        float sum = 0;
        for (float value : row) {
            sum += value * value;
        }
        return sum;
    }
}
