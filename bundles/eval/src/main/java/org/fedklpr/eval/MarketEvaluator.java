package org.fedklpr.eval;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import org.fedklpr.api.Names;
import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.RankedList;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;
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
 * The Market-1501 protocol as a service ({@code fedklpr.name=market1501}), configured under
 * {@value #PID}. Reports both the plain and the official (interpolated) mAP; re-ranking is off unless
 * configured. Dot products come from an engine's BLAS when the runtime offers one (see
 * {@link DotProducts}).
 */
@Component(configurationPid = MarketEvaluator.PID, property = Names.SERVICE_NAME + "=market1501")
@Designate(ocd = MarketEvaluator.Config.class)
public final class MarketEvaluator implements ReidEvaluator {
    static final String PID = "org.fedklpr.eval";

    @ObjectClassDefinition(name = "FedKLPR re-ID evaluator")
    @interface Config {
        @AttributeDefinition(description = "Threads that score queries; 0 = one per processor", min = "0")
        int threads() default 0;

        @AttributeDefinition(description = "Queries whose distance rows a thread holds at once (memory: threads x"
                + " queryChunk x gallery size x 4 bytes)", min = "1")
        int queryChunk() default 32;

        @AttributeDefinition(description = "k-reciprocal re-ranking (Zhong et al. 2017); needs (query + gallery)²"
                + " distances in memory")
        boolean reRanking() default false;

        @AttributeDefinition(description = "Re-ranking: k1, the k-reciprocal neighbourhood", min = "1")
        int reRankingK1() default 20;

        @AttributeDefinition(description = "Re-ranking: k2, the local query expansion", min = "1")
        int reRankingK2() default 6;

        @AttributeDefinition(description = "Re-ranking: weight of the original distance", min = "0", max = "1")
        double reRankingLambda() default 0.3;

        @AttributeDefinition(description = "What computes the query x gallery dot products: blank = an engine's"
                + " BLAS when the runtime has one (a DotProducts service, e.g. djl), else the evaluator's own Java"
                + " kernel; java = always the Java kernel; another name = that service. Kernels round"
                + " differently in the last bits, so near-ties may rank differently")
        String dotProducts() default "";
    }

    /** The evaluator's own kernel, by this name. */
    static final String JAVA_KERNEL = "java";

    private final NamedServices<DotProducts> kernels = new NamedServices<>("dot-product kernel");
    private volatile Config config;

    @Activate
    public MarketEvaluator(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public ReidMetrics evaluate(FeatureSet query, FeatureSet gallery) {
        return protocol().evaluate(query, gallery);
    }

    private RankingProtocol protocol() {
        Config current = config;
        int threads = current.threads() > 0 ? current.threads() : Runtime.getRuntime().availableProcessors();
        return new RankingProtocol(threads, current.queryChunk(), current.reRanking()
                ? new KReciprocalReranking(current.reRankingK1(), current.reRankingK2(), current.reRankingLambda())
                : null, kernel(current.dotProducts()));
    }

    @Override
    public List<RankedList> rankings(FeatureSet query, FeatureSet gallery, int[] queries, int top) {
        return protocol().rankings(query, gallery, queries, top);
    }

    /** The kernel a name selects; {@code null}: the Java one. */
    private DotProducts kernel(String name) {
        if (JAVA_KERNEL.equals(name)) {
            return null;
        }
        if (name.isBlank()) {
            SortedSet<String> offered = kernels.names();
            return offered.isEmpty() ? null : kernels.get(offered.first());
        }
        return kernels.get(name);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addKernel(DotProducts kernel, Map<String, Object> properties) {
        kernels.add(kernel, properties);
    }

    void removeKernel(DotProducts kernel, Map<String, Object> properties) {
        kernels.remove(kernel, properties);
    }
}
