package org.fedklpr.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.engine.EpochLabelling;
import org.fedklpr.api.engine.EpochTargets;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.objective.ProxyMemory;
import org.fedklpr.api.pseudolabel.PseudoLabeller;
import org.fedklpr.api.pseudolabel.PseudoLabels;

/**
 * A site's unsupervised local epochs: at the start of each, the training images are embedded with the
 * network as it is then, grouped into pseudo-identities, and the camera-aware proxies' memory starts
 * at their centroids (as FedCAPR starts every epoch afresh). What it reads of an image is its pixels
 * and its camera, never its person id. Keeps the last epoch's labels and memory for what the site
 * reports after training.
 */
final class PseudoLabelling implements EpochLabelling {
    private final ReidNetwork network;
    private final ImageSet images;
    private final int[] cameras;
    private final PseudoLabeller labeller;
    private PseudoLabels last;
    private ProxyMemory memory;
    private double seconds;

    PseudoLabelling(ReidNetwork network, ImageSet images, PseudoLabeller labeller) {
        this.network = network;
        this.images = images;
        this.labeller = labeller;
        this.cameras = images.images().stream().mapToInt(image -> image.camera()).toArray();
    }

    @Override
    public EpochTargets targets(int epoch) {
        long started = System.nanoTime();
        float[][] embeddings = network.embed(images);
        last = labeller.label(embeddings, cameras);
        memory = ProxyMemory.ofCentroids(embeddings, last);
        seconds += (System.nanoTime() - started) / 1e9;
        // Batches are balanced over proxies (FedCAPR samples K images per proxy).
        return new EpochTargets(last.clusters(), last.proxies(), last.proxies(), memory);
    }

    /** The last epoch's pseudo-identities, images kept and proxies, and the time all epochs' labelling took. */
    Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (last != null) {
            metrics.put("pseudo_clusters", (double) last.clusterCount());
            metrics.put("pseudo_kept", (double) last.kept());
            metrics.put("pseudo_proxies", (double) last.proxyCount());
        }
        metrics.put("pseudo_label_seconds", seconds);
        return metrics;
    }

    /**
     * The unsupervised counterpart of the probe accuracy that pruning control watches: of the probe
     * images that had a pseudo-identity in the last epoch, the share whose most similar proxy in the
     * memory as training left it belongs to that pseudo-identity. 0 when none had one.
     *
     * @param probe the probe images' indices among the training images
     * @param embeddings the trained network's embeddings of the probe images
     */
    double probeAccuracy(int[] probe, float[][] embeddings) {
        return last == null ? 0 : probeAccuracy(last, memory, probe, embeddings);
    }

    static double probeAccuracy(PseudoLabels labels, ProxyMemory memory, int[] probe, float[][] embeddings) {
        float[] rows = memory.rows(); // one copy, not one per proxy and probe image
        int counted = 0;
        int correct = 0;
        for (int j = 0; j < probe.length; j++) {
            int cluster = labels.clusters()[probe[j]];
            if (cluster == PseudoLabels.UNCLUSTERED) {
                continue;
            }
            counted++;
            correct += memory.cluster(nearestProxy(rows, memory.size(), embeddings[j])) == cluster ? 1 : 0;
        }
        return counted == 0 ? 0 : (double) correct / counted;
    }

    private static int nearestProxy(float[] rows, int count, float[] embedding) {
        int dim = embedding.length;
        int best = 0;
        double bestSimilarity = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < count; p++) {
            double similarity = 0;
            for (int d = 0; d < dim; d++) {
                similarity += (double) rows[p * dim + d] * embedding[d];
            }
            if (similarity > bestSimilarity) {
                bestSimilarity = similarity;
                best = p;
            }
        }
        return best;
    }
}
