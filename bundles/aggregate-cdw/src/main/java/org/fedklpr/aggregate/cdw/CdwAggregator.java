package org.fedklpr.aggregate.cdw;

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

/**
 * Cosine-distance weighted aggregation (FedReID's dynamic weighting, FedCAPR's baseline):
 * {@code w_k ∝ n_k^α · mean_b(1 − cos(f_g(x_b), f_k(x_b)))} over the client's probe batch (the
 * client's {@code cdw} metric), normalised; a plain weighted average of the backbones. Heads stay
 * local.
 */
@Component(configurationPid = CdwAggregator.PID, property = Names.SERVICE_NAME + "=cdw")
@Designate(ocd = CdwAggregator.Config.class)
public final class CdwAggregator implements Aggregator {
    static final String PID = "org.fedklpr.aggregate.cdw";

    @ObjectClassDefinition(name = "FedKLPR cosine-distance weighted aggregator")
    @interface Config {
        @AttributeDefinition(description = "Exponent α of the sample count n_k (0: cosine distance alone)", min = "0")
        double alpha() default 0.0;
    }

    private volatile double alpha;

    @Activate
    public CdwAggregator(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        this.alpha = config.alpha();
    }

    @Override
    public TensorScope scope() {
        return TensorScope.BACKBONE;
    }

    @Override
    public Set<String> siteMetrics() {
        return Set.of(SiteMetrics.CDW);
    }

    @Override
    public AggregationResult aggregate(ModelState global, List<ClientUpdate> updates) {
        List<ClientUpdate> inScope = WeightedAverage.restrictTo(scope(), updates);
        double[] raw = new double[inScope.size()];
        for (int k = 0; k < raw.length; k++) {
            ClientUpdate update = inScope.get(k);
            raw[k] = Math.pow(update.samples(), alpha) * Math.max(0, WeightedAverage.metric(update, SiteMetrics.CDW, "cdw"));
        }
        double[] weights = WeightedAverage.normalised(raw, inScope);
        return new AggregationResult(WeightedAverage.average(global, inScope, weights),
                WeightedAverage.byClient(inScope, weights));
    }
}
