package org.fedklpr.api.federation;

import java.util.Set;

/**
 * The figures a site can compute about its round for an aggregator that weighs clients by them.
 * An aggregator names the ones it needs ({@link org.fedklpr.api.aggregation.Aggregator#siteMetrics()}),
 * the training task carries the names, and a site computes those and no others. Each compares, on
 * the site's fixed probe batch of training images, the embeddings of the global model it received
 * ({@code f_g}) with those of the model it trained ({@code f_k}).
 */
public final class SiteMetrics {
    /**
     * KL-divergence aggregation weight: mean over the probe images of
     * {@code KL(softmax(f_g/τ) || softmax(f_k/τ))}, τ the task's probe temperature.
     */
    public static final String KLAW = "klaw";
    /** Cosine-distance weight: mean over the probe images of {@code 1 − cos(f_g, f_k)}. */
    public static final String CDW = "cdw";
    /** Every metric a site computes. */
    public static final Set<String> ALL = Set.of(KLAW, CDW);

    private SiteMetrics() {
    }
}
