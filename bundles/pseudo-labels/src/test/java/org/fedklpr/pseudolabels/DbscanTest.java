package org.fedklpr.pseudolabels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Points on a line, neighbourhoods |x_i - x_j| <= eps, labels worked out by hand. */
class DbscanTest {
    private static int[][] neighbourhoods(double eps, double... xs) {
        int[][] within = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            List<Integer> near = new ArrayList<>();
            for (int j = 0; j < xs.length; j++) {
                if (Math.abs(xs[i] - xs[j]) <= eps + 1e-12) {
                    near.add(j);
                }
            }
            within[i] = near.stream().mapToInt(Integer::intValue).toArray();
        }
        return within;
    }

    @Test
    void corePointsChainBorderPointsJoinAndTheRestIsNoise() {
        // A 0 and E 1.6 have two points within 0.5 (themselves included): border points of the chain
        // B, C, D (three each: core); F 10 is alone.
        int[] labels = Dbscan.cluster(neighbourhoods(0.5, 0, 0.4, 0.8, 1.2, 1.6, 10), 3);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, -1}, labels);
    }

    @Test
    void aBorderPointReachedByTwoClustersStaysWithTheFirst() {
        // Two dense groups; the point at 0.75 is within 0.5 of one core point of each, and of too few
        // points (3 < 4) to be a core point itself.
        int[] labels = Dbscan.cluster(neighbourhoods(0.5, 0, 0.05, 0.1, 0.3, 0.75, 1.2, 1.4, 1.45, 1.5), 4);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1}, labels);
    }

    @Test
    void withoutACorePointEverythingIsNoise() {
        assertArrayEquals(new int[] {-1, -1, -1}, Dbscan.cluster(neighbourhoods(0.5, 0, 0.3, 0.6), 4));
        assertArrayEquals(new int[0], Dbscan.cluster(new int[0][], 4));
    }

    @Test
    void aPointCountsItselfAsScikitLearnsMinSamplesDoes() {
        // Two points together: each has two within eps, itself included; with minSamples 2 they are a cluster.
        assertArrayEquals(new int[] {0, 0, -1}, Dbscan.cluster(neighbourhoods(0.5, 0, 0.2, 3), 2));
    }
}
