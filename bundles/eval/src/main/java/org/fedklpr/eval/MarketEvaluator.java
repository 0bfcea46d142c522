package org.fedklpr.eval;

import org.fedklpr.api.Names;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Market-1501 protocol as a service ({@code fedklpr.name=market1501}), configured under
 * {@value #PID}. Reports both the plain and the official (interpolated) mAP; re-ranking is off unless
 * configured.
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
    }

    private volatile RankingProtocol protocol;

    @Activate
    public MarketEvaluator(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        protocol = new RankingProtocol(threads, config.queryChunk(), config.reRanking()
                ? new KReciprocalReranking(config.reRankingK1(), config.reRankingK2(), config.reRankingLambda()) : null);
    }

    @Override
    public ReidMetrics evaluate(FeatureSet query, FeatureSet gallery) {
        return protocol.evaluate(query, gallery);
    }
}
