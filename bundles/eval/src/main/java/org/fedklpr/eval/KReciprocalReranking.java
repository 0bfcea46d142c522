package org.fedklpr.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.fedklpr.api.eval.FeatureSet;

/**
 * k-reciprocal re-ranking (Zhong et al., CVPR 2017), as the published reference code computes it:
 * squared Euclidean distances over query and gallery together, each row divided by its maximum;
 * per entry its k-reciprocal neighbours (k1), expanded by candidates whose own
 * round(k1/2)-reciprocal sets overlap by more than two thirds; Gaussian weights exp(-d) over that
 * set; local query expansion over the k2 nearest; Jaccard distance from the weights; final
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
            rank[i] = nearest(original[i], Math.min(neighbours, all));
        }
        SparseRow[] weights = new SparseRow[all];
        for (int i = 0; i < all; i++) {
            weights[i] = weights(i, original[i], rank);
        }
        if (k2 != 1) {
            SparseRow[] expanded = new SparseRow[all];
            for (int i = 0; i < all; i++) {
                expanded[i] = SparseRow.mean(weights, rank[i], Math.min(k2, rank[i].length));
            }
            weights = expanded;
        }
        List<List<int[]>> byColumn = invertedIndex(weights, all);
        float[] result = new float[queries * gallery.size()];
        double[] shared = new double[all];
        for (int q = 0; q < queries; q++) {
            Arrays.fill(shared, 0);
            SparseRow row = weights[q];
            for (int n = 0; n < row.columns.length; n++) {
                double mine = row.values[n];
                for (int[] entry : byColumn.get(row.columns[n])) {
                    double theirs = weights[entry[0]].values[entry[1]];
                    shared[entry[0]] += Math.min(mine, theirs);
                }
            }
            for (int g = 0; g < gallery.size(); g++) {
                double jaccard = 1 - shared[queries + g] / (2 - shared[queries + g]);
                // Clamped at +0 so that the scorer can order distances by their bit patterns.
                result[q * gallery.size() + g] = (float) Math.max(0,
                        jaccard * (1 - lambda) + original[q][queries + g] * lambda);
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

    /** Indices of the {@code count} smallest entries, ascending; ties by index. */
    private static int[] nearest(float[] row, int count) {
        // A max-heap of the best so far, keyed by (distance, index).
        long[] heap = new long[count];
        int size = 0;
        for (int j = 0; j < row.length; j++) {
            long key = ((long) Float.floatToIntBits(row[j]) << 32) | j;
            if (size < count) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key < heap[0]) {
                heap[0] = key;
                siftDown(heap, size);
            }
        }
        Arrays.sort(heap, 0, size);
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = (int) heap[i];
        }
        return indices;
    }

    private static void siftUp(long[] heap, int child) {
        while (child > 0) {
            int parent = (child - 1) / 2;
            if (heap[parent] >= heap[child]) {
                return;
            }
            long swap = heap[parent];
            heap[parent] = heap[child];
            heap[child] = swap;
            child = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int parent = 0;
        while (true) {
            int largest = parent;
            int left = 2 * parent + 1;
            int right = left + 1;
            if (left < size && heap[left] > heap[largest]) {
                largest = left;
            }
            if (right < size && heap[right] > heap[largest]) {
                largest = right;
            }
            if (largest == parent) {
                return;
            }
            long swap = heap[parent];
            heap[parent] = heap[largest];
            heap[largest] = swap;
            parent = largest;
        }
    }

    /** Entries among the first {@code k + 1} of {@code i} that have {@code i} among their first {@code k + 1}. */
    private static int[] reciprocal(int i, int k, int[][] rank) {
        int limit = Math.min(k + 1, rank[i].length);
        int[] found = new int[limit];
        int count = 0;
        for (int n = 0; n < limit; n++) {
            int candidate = rank[i][n];
            int[] theirs = rank[candidate];
            for (int m = 0; m < Math.min(k + 1, theirs.length); m++) {
                if (theirs[m] == i) {
                    found[count++] = candidate;
                    break;
                }
            }
        }
        return Arrays.copyOf(found, count);
    }

    private SparseRow weights(int i, float[] distances, int[][] rank) {
        int[] reciprocal = reciprocal(i, k1, rank);
        int half = (int) Math.rint(k1 / 2.0);
        Set<Integer> members = new HashSet<>();
        for (int index : reciprocal) {
            members.add(index);
        }
        TreeSet<Integer> expansion = new TreeSet<>(members);
        for (int candidate : reciprocal) {
            int[] theirs = reciprocal(candidate, half, rank);
            int overlap = 0;
            for (int index : theirs) {
                overlap += members.contains(index) ? 1 : 0;
            }
            if (overlap > 2.0 / 3 * theirs.length) {
                for (int index : theirs) {
                    expansion.add(index);
                }
            }
        }
        int[] columns = expansion.stream().mapToInt(Integer::intValue).toArray();
        double[] values = new double[columns.length];
        double sum = 0;
        for (int n = 0; n < columns.length; n++) {
            values[n] = Math.exp(-distances[columns[n]]);
            sum += values[n];
        }
        for (int n = 0; n < values.length; n++) {
            values[n] /= sum;
        }
        return new SparseRow(columns, values);
    }

    private static List<List<int[]>> invertedIndex(SparseRow[] rows, int columns) {
        List<List<int[]>> byColumn = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            byColumn.add(new ArrayList<>());
        }
        for (int r = 0; r < rows.length; r++) {
            for (int n = 0; n < rows[r].columns.length; n++) {
                if (rows[r].values[n] != 0) {
                    byColumn.get(rows[r].columns[n]).add(new int[] {r, n});
                }
            }
        }
        return byColumn;
    }

    /** A row of non-negative weights, its non-zero columns ascending. */
    private record SparseRow(int[] columns, double[] values) {
        /** Mean of {@code rows[indices[0..count)]}, as dense rows would give it. */
        static SparseRow mean(SparseRow[] rows, int[] indices, int count) {
            TreeMap<Integer, Double> sum = new TreeMap<>();
            for (int n = 0; n < count; n++) {
                SparseRow row = rows[indices[n]];
                for (int m = 0; m < row.columns.length; m++) {
                    sum.merge(row.columns[m], row.values[m], Double::sum);
                }
            }
            int[] columns = new int[sum.size()];
            double[] values = new double[sum.size()];
            int m = 0;
            for (var entry : sum.entrySet()) {
                columns[m] = entry.getKey();
                values[m++] = entry.getValue() / count;
            }
            return new SparseRow(columns, values);
        }
    }
}
