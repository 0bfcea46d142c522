package org.fedklpr.api.objective;

import java.util.Arrays;

import org.fedklpr.api.pseudolabel.PseudoLabels;

/**
 * A site's memory of camera-aware proxies during one local epoch of unsupervised training: one
 * L2-normalised row per proxy (a pseudo-identity as one camera saw it), with the pseudo-identity and
 * the camera of each. It starts at the proxies' centroids when the epoch's pseudo-labels are made and
 * follows the features the site trains on, one image at a time ({@link #follow}). It never leaves
 * the site. Not thread-safe: one training run owns it.
 */
public final class ProxyMemory {
    private final float[] rows;
    private final int dim;
    private final int[] proxyCluster;
    private final int[] proxyCamera;

    private ProxyMemory(float[] rows, int dim, int[] proxyCluster, int[] proxyCamera) {
        this.rows = rows;
        this.dim = dim;
        this.proxyCluster = proxyCluster;
        this.proxyCamera = proxyCamera;
    }

    /**
     * The memory at the start of an epoch: each proxy's row is the mean of its images' embeddings,
     * L2-normalised.
     *
     * @param embeddings one row per training image (the rows the pseudo-labels were made from)
     */
    public static ProxyMemory ofCentroids(float[][] embeddings, PseudoLabels labels) {
        if (embeddings.length != labels.proxies().length) {
            throw new IllegalArgumentException(embeddings.length + " embeddings but pseudo-labels of "
                    + labels.proxies().length + " images");
        }
        int dim = embeddings.length == 0 ? 0 : embeddings[0].length;
        int count = labels.proxyCount();
        double[] sums = new double[count * dim];
        for (int i = 0; i < embeddings.length; i++) {
            int proxy = labels.proxies()[i];
            if (proxy == PseudoLabels.UNCLUSTERED) {
                continue;
            }
            for (int d = 0; d < dim; d++) {
                sums[proxy * dim + d] += embeddings[i][d];
            }
        }
        float[] rows = new float[count * dim];
        for (int p = 0; p < count; p++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += sums[p * dim + d] * sums[p * dim + d];
            }
            double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
            for (int d = 0; d < dim; d++) {
                rows[p * dim + d] = (float) (sums[p * dim + d] * scale);
            }
        }
        return new ProxyMemory(rows, dim, labels.proxyCluster().clone(), labels.proxyCamera().clone());
    }

    /**
     * Moves a proxy's row towards a feature and normalises it again:
     * {@code m ← normalise(momentum · m + (1 − momentum) · feature)}.
     *
     * @param feature an L2-normalised feature of an image of this proxy
     */
    public void follow(int proxy, float[] feature, float momentum) {
        if (feature.length != dim) {
            throw new IllegalArgumentException("a feature of " + feature.length + " values for a memory of " + dim);
        }
        int at = proxy * dim;
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            float moved = momentum * rows[at + d] + (1 - momentum) * feature[d];
            rows[at + d] = moved;
            norm += (double) moved * moved;
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < dim; d++) {
            rows[at + d] *= scale;
        }
    }

    /** The rows, proxy after proxy ({@link #size()} × {@link #dim()}): a copy. */
    public float[] rows() {
        return rows.clone();
    }

    public float[] row(int proxy) {
        return Arrays.copyOfRange(rows, proxy * dim, (proxy + 1) * dim);
    }

    public int size() {
        return proxyCluster.length;
    }

    public int dim() {
        return dim;
    }

    /** The pseudo-identity a proxy belongs to. */
    public int cluster(int proxy) {
        return proxyCluster[proxy];
    }

    /** The camera a proxy belongs to. */
    public int camera(int proxy) {
        return proxyCamera[proxy];
    }
}
