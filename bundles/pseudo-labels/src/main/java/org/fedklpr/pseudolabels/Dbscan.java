package org.fedklpr.pseudolabels;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import org.fedklpr.api.pseudolabel.PseudoLabels;

/**
 * DBSCAN (Ester et al. 1996) on precomputed neighbourhoods, with scikit-learn's conventions, which
 * the reference code of the unsupervised methods calls: a point is a core point when its
 * neighbourhood, itself included, holds at least {@code minSamples} points; clusters grow from core
 * points in index order, depth first; a border point belongs to the first cluster that reaches it;
 * the rest is noise ({@value PseudoLabels#UNCLUSTERED}).
 *
 * <p>Written here rather than taken from Apache Commons Math: its DBSCAN computes every pairwise
 * distance through a distance function (N² calls for N images), counts the minimum without the point
 * itself, and would need the sparse Jaccard neighbourhoods turned back into coordinates; the
 * neighbourhoods are already what DBSCAN needs.
 */
final class Dbscan {
    private Dbscan() {
    }

    /**
     * @param neighbourhoods for every point the points within eps of it, itself included
     * @return the cluster of every point, numbered in order of discovery, or -1 for noise
     */
    static int[] cluster(int[][] neighbourhoods, int minSamples) {
        int size = neighbourhoods.length;
        boolean[] core = new boolean[size];
        for (int i = 0; i < size; i++) {
            core[i] = neighbourhoods[i].length >= minSamples;
        }
        int[] labels = new int[size];
        Arrays.fill(labels, PseudoLabels.UNCLUSTERED);
        int next = 0;
        Deque<Integer> stack = new ArrayDeque<>();
        for (int start = 0; start < size; start++) {
            if (labels[start] != PseudoLabels.UNCLUSTERED || !core[start]) {
                continue;
            }
            int point = start;
            while (true) {
                if (labels[point] == PseudoLabels.UNCLUSTERED) {
                    labels[point] = next;
                    if (core[point]) {
                        for (int neighbour : neighbourhoods[point]) {
                            if (labels[neighbour] == PseudoLabels.UNCLUSTERED) {
                                stack.push(neighbour);
                            }
                        }
                    }
                }
                if (stack.isEmpty()) {
                    break;
                }
                point = stack.pop();
            }
            next++;
        }
        return labels;
    }
}
