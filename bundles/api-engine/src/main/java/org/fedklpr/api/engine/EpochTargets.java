package org.fedklpr.api.engine;

import org.fedklpr.api.objective.ProxyMemory;

/**
 * What one local epoch trains on.
 *
 * @param labels per training image its class (an identity, or a pseudo-identity), or
 *        {@value #SITS_OUT} for an image left out of this epoch
 * @param balanceBy per training image the class that identity-balanced (P×K) batches balance over:
 *        the labels themselves, or the images' proxies in unsupervised training; ignored for images
 *        that sit out, and for plain shuffled batches
 * @param proxies per training image its camera-aware proxy, or {@value #SITS_OUT}; {@code null} in
 *        training with labels
 * @param memory the site's memory of those proxies; {@code null} in training with labels
 */
public record EpochTargets(int[] labels, int[] balanceBy, int[] proxies, ProxyMemory memory) {
    public static final int SITS_OUT = -1;

    public EpochTargets {
        if (balanceBy.length != labels.length || (proxies != null && proxies.length != labels.length)) {
            throw new IllegalArgumentException("epoch targets of different lengths: " + labels.length + " labels, "
                    + balanceBy.length + " balancing classes, " + (proxies == null ? 0 : proxies.length) + " proxies");
        }
        if ((proxies == null) != (memory == null)) {
            throw new IllegalArgumentException("proxies and their memory come together");
        }
    }

    /** An epoch of training with identity labels. */
    public static EpochTargets labelled(int[] labels) {
        return new EpochTargets(labels, labels, null, null);
    }

    /** How many images train in this epoch. */
    public int training() {
        int count = 0;
        for (int label : labels) {
            count += label == SITS_OUT ? 0 : 1;
        }
        return count;
    }
}
