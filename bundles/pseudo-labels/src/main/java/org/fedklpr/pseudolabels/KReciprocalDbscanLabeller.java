package org.fedklpr.pseudolabels;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fedklpr.api.Names;
import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.pseudolabel.PseudoLabeller;
import org.fedklpr.api.pseudolabel.PseudoLabels;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Pseudo-identities as FedCAPR's code makes them at the start of every local epoch: DBSCAN
 * ({@code eps}, {@code minSamples}) on k-reciprocal Jaccard distances ({@code k1}, {@code k2}) of the
 * site's embeddings; images in no cluster sit the epoch out; each pseudo-identity and camera that
 * saw it is a proxy, numbered by camera, then pseudo-identity, as that code numbers them. Defaults
 * are our reading of that code.
 */
@Component(configurationPid = KReciprocalDbscanLabeller.PID, property = Names.SERVICE_NAME + "=dbscan")
@Designate(ocd = KReciprocalDbscanLabeller.Config.class)
public final class KReciprocalDbscanLabeller implements PseudoLabeller {
    static final String PID = "org.fedklpr.pseudolabels";

    @ObjectClassDefinition(name = "FedKLPR pseudo-labels (DBSCAN on k-reciprocal Jaccard distances)")
    @interface Config {
        @AttributeDefinition(description = "DBSCAN radius in Jaccard distance", min = "0", max = "1")
        double eps() default 0.5;

        @AttributeDefinition(description = "Images within eps, the image itself included, that make a core point",
                min = "1")
        int minSamples() default 4;

        @AttributeDefinition(description = "k1: neighbours of the k-reciprocal sets", min = "1")
        int k1() default 20;

        @AttributeDefinition(description = "k2: neighbours of the local query expansion", min = "1")
        int k2() default 6;

        @AttributeDefinition(description = "What computes the nearest-neighbour search's dot products: blank = an"
                + " engine's BLAS when the runtime has one (a DotProducts service, e.g. djl), else plain Java; java ="
                + " always plain Java. Kernels round differently in the last bits, so near-ties may order differently")
        String dotProducts() default "";
    }

    private static final String JAVA_KERNEL = "java";

    private volatile Config config;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, DotProducts>> kernels = List.of();

    @Activate
    public KReciprocalDbscanLabeller(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public PseudoLabels label(float[][] embeddings, int[] cameras) {
        Config current = config;
        return label(embeddings, cameras, current.eps(), current.minSamples(), current.k1(), current.k2(),
                kernel(current.dotProducts()));
    }

    /** The kernel a name selects; {@code null}: plain Java. */
    private DotProducts kernel(String name) {
        if (JAVA_KERNEL.equals(name)) {
            return null;
        }
        NamedServices<DotProducts> offered = NamedServices.of("dot-product kernel", kernels);
        if (name.isBlank()) {
            return offered.names().isEmpty() ? null : offered.get(offered.names().first());
        }
        return offered.get(name);
    }

    static PseudoLabels label(float[][] embeddings, int[] cameras, double eps, int minSamples, int k1, int k2) {
        return label(embeddings, cameras, eps, minSamples, k1, k2, null);
    }

    static PseudoLabels label(float[][] embeddings, int[] cameras, double eps, int minSamples, int k1, int k2,
            DotProducts kernel) {
        if (embeddings.length != cameras.length) {
            throw new IllegalArgumentException(embeddings.length + " embeddings but " + cameras.length + " cameras");
        }
        for (float[] row : embeddings) {
            if (row.length != embeddings[0].length) {
                throw new IllegalArgumentException("embeddings of " + embeddings[0].length + " and " + row.length
                        + " values");
            }
        }
        int[] clusters = embeddings.length == 0 ? new int[0]
                : Dbscan.cluster(JaccardNeighbourhoods.of(embeddings, k1, k2, eps, kernel), minSamples);
        int clusterCount = 0;
        TreeMap<Long, Integer> proxyOf = new TreeMap<>();
        for (int i = 0; i < clusters.length; i++) {
            if (clusters[i] != PseudoLabels.UNCLUSTERED) {
                clusterCount = Math.max(clusterCount, clusters[i] + 1);
                proxyOf.put(key(cameras[i], clusters[i]), 0);
            }
        }
        int[] proxyCluster = new int[proxyOf.size()];
        int[] proxyCamera = new int[proxyOf.size()];
        int next = 0;
        for (var entry : proxyOf.entrySet()) {
            proxyCamera[next] = (int) (entry.getKey() >> 32);
            proxyCluster[next] = (int) (long) entry.getKey();
            entry.setValue(next++);
        }
        int[] proxies = new int[clusters.length];
        for (int i = 0; i < clusters.length; i++) {
            proxies[i] = clusters[i] == PseudoLabels.UNCLUSTERED ? PseudoLabels.UNCLUSTERED
                    : proxyOf.get(key(cameras[i], clusters[i]));
        }
        return new PseudoLabels(clusters, clusterCount, proxies, proxyCluster, proxyCamera);
    }

    /** Orders by camera, then pseudo-identity (both not negative here). */
    private static long key(int camera, int cluster) {
        return ((long) camera << 32) | (cluster & 0xffffffffL);
    }
}
