package org.fedklpr.api.pseudolabel;

import java.util.Arrays;

/**
 * Pseudo-identities of a site's training images, and the camera-aware proxies they give: one proxy
 * per pseudo-identity and camera that saw it, numbered by camera, then pseudo-identity.
 *
 * @param clusters the pseudo-identity of each image, 0 to {@code clusterCount - 1}, or
 *        {@value #UNCLUSTERED} for an image left out (it sits out the epoch)
 * @param clusterCount how many pseudo-identities
 * @param proxies the proxy of each image, or {@value #UNCLUSTERED}
 * @param proxyCluster the pseudo-identity of each proxy
 * @param proxyCamera the camera of each proxy
 */
public record PseudoLabels(int[] clusters, int clusterCount, int[] proxies, int[] proxyCluster, int[] proxyCamera) {
    public static final int UNCLUSTERED = -1;

    public int proxyCount() {
        return proxyCluster.length;
    }

    /** How many images have a pseudo-identity. */
    public int kept() {
        return (int) Arrays.stream(clusters).filter(cluster -> cluster != UNCLUSTERED).count();
    }
}
