package org.fedklpr.aggregate.klpwa;

import java.util.List;
import java.util.Set;

import org.fedklpr.aggregate.core.WeightedAverage;
import org.fedklpr.api.Names;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.SiteMetrics;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * KL-divergence-prune weighted aggregation (our reading of FedKLPR; docs/ALGORITHMS.md):
 * {@code w_k ∝ n_k^α · KLAW_k · PRAW_k}, normalised, then the masked element-wise average of
 * {@link WeightedAverage#maskedAverage} or, as {@code averaging} says, one of its two variants. {@code KLAW_k} is the client's {@code klaw} metric (mean
 * KL divergence between the global and its trained model's softened embeddings on its probe
 * batch); {@code PRAW_k = 1 − p_k} with {@code p_k} the fraction of the client's update it pruned.
 * Each factor can be switched off for ablations. Heads stay local.
 */
@Component(configurationPid = KlpwaAggregator.PID, property = Names.SERVICE_NAME + "=klpwa")
@Designate(ocd = KlpwaAggregator.Config.class)
public final class KlpwaAggregator implements Aggregator {
    static final String PID = "org.fedklpr.aggregate.klpwa";

    @ObjectClassDefinition(name = "FedKLPR KLPWA aggregator")
    @interface Config {
        @AttributeDefinition(description = "Exponent α of the sample count n_k (0: ignore sample counts)", min = "0")
        double alpha() default 1.0;

        @AttributeDefinition(description = "Weight by KLAW (off: ablation)")
        boolean klaw() default true;

        @AttributeDefinition(description = "Weight by PRAW = 1 - pruned fraction (off: ablation)")
        boolean praw() default true;

        @AttributeDefinition(description = "How pruned elements are averaged: masked (over the clients that kept "
                + "each element; 0 where none did), masked-keep-global (the same, but an element nobody kept keeps "
                + "its global value), update-space (global + the weighted sum of the kept elements' changes: a "
                + "client that pruned an element contributes no change to it)", options = {
                    @Option(value = MASKED), @Option(value = MASKED_KEEP_GLOBAL), @Option(value = UPDATE_SPACE)})
        String averaging() default MASKED;
    }

    static final String MASKED = "masked";
    static final String MASKED_KEEP_GLOBAL = "masked-keep-global";
    static final String UPDATE_SPACE = "update-space";

    private volatile Config config;

    @Activate
    public KlpwaAggregator(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public TensorScope scope() {
        return TensorScope.BACKBONE;
    }

    @Override
    public Set<String> siteMetrics() {
        return config.klaw() ? Set.of(SiteMetrics.KLAW) : Set.of();
    }

    @Override
    public AggregationResult aggregate(ModelState global, List<ClientUpdate> updates) {
        Config current = config;
        List<ClientUpdate> inScope = WeightedAverage.restrictTo(scope(), updates);
        double[] raw = new double[inScope.size()];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = weight(inScope.get(k), current);
        }
        double[] weights = WeightedAverage.normalised(raw, inScope);
        ModelState next = switch (current.averaging()) {
            case MASKED_KEEP_GLOBAL -> WeightedAverage.maskedAverage(global, inScope, weights,
                    WeightedAverage.Unkept.GLOBAL);
            case UPDATE_SPACE -> WeightedAverage.updateSpaceAverage(global, inScope, weights);
            default -> WeightedAverage.maskedAverage(global, inScope, weights, WeightedAverage.Unkept.ZERO);
        };
        return new AggregationResult(next, WeightedAverage.byClient(inScope, weights));
    }

    /** The unnormalised weight {@code n^α · KLAW · PRAW} of one client. */
    static double weight(ClientUpdate update, Config config) {
        double weight = Math.pow(update.samples(), config.alpha());
        if (config.klaw()) {
            weight *= Math.max(0, WeightedAverage.metric(update, SiteMetrics.KLAW, "klpwa"));
        }
        if (config.praw()) {
            double pruned = update.mask() == null ? 0 : update.mask().prunedFraction(update.state());
            weight *= 1 - pruned;
        }
        return weight;
    }
}
