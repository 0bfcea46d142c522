package org.fedklpr.eval.kreciprocal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The k-reciprocal encoding of a set of N entries (Zhong et al., CVPR 2017), as the published
 * re-ranking code and the clustering code of the unsupervised re-ID methods compute it, kept sparse:
 * per entry its k-reciprocal neighbours (k1), expanded by the candidates whose own
 * round(k1/2)-reciprocal sets overlap it by more than two thirds; weights {@code exp(-d)} over that
 * set, normalised; local query expansion, the mean of the rows of the k2 nearest. The Jaccard
 * distance of two entries is then {@code 1 - s / (2 - s)} with {@code s = Σ_c min(V_i[c], V_j[c])}.
 *
 * <p>Memory is a few dozen numbers per entry (the expanded sets), never N², when the caller gives
 * the nearest entries and the distances the weights need rather than a distance matrix.
 */
public final class KReciprocalEncoding {
    /** The distance between two entries, asked only for an entry and members of its expanded set. */
    @FunctionalInterface
    public interface Distance {
        double between(int i, int j);
    }

    private final int[][] columns;
    private final double[][] values;
    /** For every column, the (row, position) pairs that have a non-zero weight there. */
    private final int[][] rowsByColumn;
    private final int[][] positionsByColumn;

    private KReciprocalEncoding(int[][] columns, double[][] values) {
        this.columns = columns;
        this.values = values;
        int size = columns.length;
        int[] counts = new int[size];
        for (int r = 0; r < size; r++) {
            for (int n = 0; n < columns[r].length; n++) {
                counts[columns[r][n]] += values[r][n] != 0 ? 1 : 0;
            }
        }
        rowsByColumn = new int[size][];
        positionsByColumn = new int[size][];
        for (int c = 0; c < size; c++) {
            rowsByColumn[c] = new int[counts[c]];
            positionsByColumn[c] = new int[counts[c]];
        }
        int[] filled = new int[size];
        for (int r = 0; r < size; r++) {
            for (int n = 0; n < columns[r].length; n++) {
                if (values[r][n] != 0) {
                    int c = columns[r][n];
                    rowsByColumn[c][filled[c]] = r;
                    positionsByColumn[c][filled[c]++] = n;
                }
            }
        }
    }

    /**
     * @param rank for every entry the entries nearest to it, nearest first (the entry itself first), at
     *        least {@code max(k1 + 1, k2)} of them where the set is that large
     * @param distance the distance whose {@code exp(-d)} weighs the members of an expanded set
     */
    public static KReciprocalEncoding of(int[][] rank, Distance distance, int k1, int k2) {
        if (k1 < 1 || k2 < 1) {
            throw new IllegalArgumentException("the k-reciprocal encoding needs k1 >= 1 and k2 >= 1, got " + k1 + ", "
                    + k2);
        }
        int size = rank.length;
        int[][] columns = new int[size][];
        double[][] values = new double[size][];
        for (int i = 0; i < size; i++) {
            int[] expansion = expandedSet(i, k1, rank);
            double[] weights = new double[expansion.length];
            double sum = 0;
            for (int n = 0; n < expansion.length; n++) {
                weights[n] = Math.exp(-distance.between(i, expansion[n]));
                sum += weights[n];
            }
            for (int n = 0; n < weights.length; n++) {
                weights[n] /= sum;
            }
            columns[i] = expansion;
            values[i] = weights;
        }
        if (k2 != 1) {
            int[][] expandedColumns = new int[size][];
            double[][] expandedValues = new double[size][];
            for (int i = 0; i < size; i++) {
                int count = Math.min(k2, rank[i].length);
                TreeMap<Integer, Double> sum = new TreeMap<>();
                for (int n = 0; n < count; n++) {
                    int row = rank[i][n];
                    for (int m = 0; m < columns[row].length; m++) {
                        sum.merge(columns[row][m], values[row][m], Double::sum);
                    }
                }
                expandedColumns[i] = new int[sum.size()];
                expandedValues[i] = new double[sum.size()];
                int m = 0;
                for (var entry : sum.entrySet()) {
                    expandedColumns[i][m] = entry.getKey();
                    expandedValues[i][m++] = entry.getValue() / count;
                }
            }
            columns = expandedColumns;
            values = expandedValues;
        }
        return new KReciprocalEncoding(columns, values);
    }

    public int size() {
        return columns.length;
    }

    /**
     * Adds, for every entry j that shares a column with entry {@code i}, {@code Σ_c min(V_i[c], V_j[c])}
     * to {@code shared[j]}, and lists those j in {@code touched}.
     *
     * @param shared N zeros (the caller clears the touched entries again after use)
     * @param touched room for N indices
     * @return how many indices were written to {@code touched}
     */
    public int overlaps(int i, double[] shared, int[] touched) {
        int count = 0;
        for (int n = 0; n < columns[i].length; n++) {
            double mine = values[i][n];
            int column = columns[i][n];
            int[] rows = rowsByColumn[column];
            int[] positions = positionsByColumn[column];
            for (int e = 0; e < rows.length; e++) {
                int r = rows[e];
                if (shared[r] == 0) {
                    touched[count++] = r;
                }
                shared[r] += Math.min(mine, values[r][positions[e]]);
            }
        }
        return count;
    }

    /** The Jaccard distance of two entries from what they share ({@link #overlaps}); 1 when nothing. */
    public static double jaccard(double shared) {
        return 1 - shared / (2 - shared);
    }

    /** Indices of the {@code count} smallest entries of {@code row}, ascending; ties by index. */
    public static int[] nearest(float[] row, int count) {
        NearestHeap heap = new NearestHeap(count);
        for (int j = 0; j < row.length; j++) {
            heap.offer(row[j], j);
        }
        return heap.sorted();
    }

    /** The {@code count} smallest (distance, index) pairs seen, ties by index: a bounded max-heap. */
    public static final class NearestHeap {
        private final long[] heap;
        private int size;

        public NearestHeap(int count) {
            heap = new long[count];
        }

        /** @param distance not negative (its bits order like the number) */
        public void offer(float distance, int index) {
            long key = ((long) Float.floatToIntBits(distance) << 32) | index;
            if (size < heap.length) {
                heap[size] = key;
                siftUp(size++);
            } else if (size > 0 && key < heap[0]) {
                heap[0] = key;
                siftDown();
            }
        }

        /** The indices, nearest first. */
        public int[] sorted() {
            long[] keys = Arrays.copyOf(heap, size);
            Arrays.sort(keys);
            int[] indices = new int[size];
            for (int i = 0; i < size; i++) {
                indices[i] = (int) keys[i];
            }
            return indices;
        }

        private void siftUp(int child) {
            while (child > 0) {
                int parent = (child - 1) / 2;
                if (heap[parent] >= heap[child]) {
                    return;
                }
                swap(parent, child);
                child = parent;
            }
        }

        private void siftDown() {
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
                swap(parent, largest);
                parent = largest;
            }
        }

        private void swap(int a, int b) {
            long keep = heap[a];
            heap[a] = heap[b];
            heap[b] = keep;
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

    /** The k-reciprocal set of {@code i}, expanded, ascending. */
    private static int[] expandedSet(int i, int k1, int[][] rank) {
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
        return expansion.stream().mapToInt(Integer::intValue).toArray();
    }
}
