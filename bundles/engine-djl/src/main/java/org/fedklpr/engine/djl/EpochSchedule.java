package org.fedklpr.engine.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.fedklpr.api.engine.EpochTargets;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.objective.ProxyBatch;

/**
 * The batches of one local epoch: the images that train in it (those that do not sit out), shuffled
 * or in identity-balanced P×K batches, the incomplete last batch dropped (batch norm needs full,
 * comparable batches). An unsupervised epoch in which fewer than two images found a pseudo-identity
 * has no batches; with identity labels that is an error.
 *
 * @param batches image indices of each batch, in training order
 * @param training how many images train in this epoch
 */
record EpochSchedule(List<int[]> batches, int training) {

    static EpochSchedule of(EpochTargets targets, TrainingSettings settings, SplittableRandom random) {
        int[] labels = targets.labels();
        int[] kept = new int[targets.training()];
        int at = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != EpochTargets.SITS_OUT) {
                kept[at++] = i;
            }
        }
        if (kept.length < 2 && targets.proxies() != null) {
            return new EpochSchedule(List.of(), kept.length);
        }
        int k = settings.instancesPerIdentity();
        int[] balanceBy = new int[kept.length];
        for (int j = 0; j < kept.length; j++) {
            balanceBy[j] = targets.balanceBy()[kept[j]];
        }
        int batchSize = k > 0 ? IdentitySampler.identitiesPerBatch(balanceBy, settings.batchSize(), k) * k
                : Math.min(settings.batchSize(), kept.length);
        if (batchSize < 2) {
            throw new IllegalArgumentException("training needs batches of at least 2 images, got " + batchSize);
        }
        int[] order = k > 0 ? IdentitySampler.identityBalanced(balanceBy, settings.batchSize(), k, random)
                : IdentitySampler.shuffle(kept.length, random);
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from + batchSize <= order.length; from += batchSize) {
            int[] batch = Arrays.copyOfRange(order, from, from + batchSize);
            for (int b = 0; b < batch.length; b++) {
                batch[b] = kept[batch[b]];
            }
            batches.add(batch);
        }
        return new EpochSchedule(batches, kept.length);
    }

    /** The proxies of a batch's images, or {@code null} in training with labels. */
    ProxyBatch proxyBatch(int[] indices, EpochTargets targets) {
        if (targets.proxies() == null) {
            return null;
        }
        int[] proxies = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            proxies[b] = targets.proxies()[indices[b]];
        }
        return new ProxyBatch(proxies, targets.memory());
    }
}
