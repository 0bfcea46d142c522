package org.fedklpr.engine.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Batch orders for local epochs: a plain shuffle, or identity-balanced P×K batches (P identities,
 * K images of each, as batch-hard triplet losses need). An identity with fewer than K images
 * repeats some; a P×K epoch has as many batches as a plain one.
 */
final class IdentitySampler {
    private IdentitySampler() {
    }

    /** A random permutation of {@code 0..count-1}. */
    static int[] shuffle(int count, SplittableRandom random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** Identities per batch: {@code batchSize / k}, at most the number of identities there are. */
    static int identitiesPerBatch(int[] labels, int batchSize, int k) {
        return Math.min(batchSize / k, (int) java.util.Arrays.stream(labels).distinct().count());
    }

    /**
     * One epoch of P×K batches, concatenated: {@code floor(n / batchSize)} batches (at least one)
     * of {@code identitiesPerBatch × k} indices.
     */
    static int[] identityBalanced(int[] labels, int batchSize, int k, SplittableRandom random) {
        TreeMap<Integer, List<Integer>> byIdentity = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byIdentity.computeIfAbsent(labels[i], key -> new ArrayList<>()).add(i);
        }
        int[] identities = byIdentity.keySet().stream().mapToInt(Integer::intValue).toArray();
        int p = identitiesPerBatch(labels, batchSize, k);
        int batches = Math.max(1, labels.length / batchSize);
        int[] order = new int[batches * p * k];
        int cursor = identities.length;
        int at = 0;
        for (int b = 0; b < batches; b++) {
            for (int slot = 0; slot < p; slot++) {
                if (cursor == identities.length) {
                    shuffle(identities, random);
                    cursor = 0;
                }
                List<Integer> images = byIdentity.get(identities[cursor++]);
                int[] pool = images.stream().mapToInt(Integer::intValue).toArray();
                shuffle(pool, random);
                for (int j = 0; j < k; j++) {
                    order[at++] = j < pool.length ? pool[j] : pool[random.nextInt(pool.length)];
                }
            }
        }
        return order;
    }
}
