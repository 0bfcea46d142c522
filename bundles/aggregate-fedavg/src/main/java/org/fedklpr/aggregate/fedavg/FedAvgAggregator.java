package org.fedklpr.aggregate.fedavg;

import java.util.List;

import org.fedklpr.aggregate.core.WeightedAverage;
import org.fedklpr.api.Names;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.osgi.service.component.annotations.Component;

/**
 * Federated averaging (McMahan et al. 2017) of the whole model, identity classifier included, weighted
 * by client sample count; needs one label space shared by all clients.
 * <p>{@code θ = Σ_k (n_k / Σ_j n_j) · θ_k} over the tensors in scope; the others keep the global value.
 */
@Component(property = Names.SERVICE_NAME + "=" + FedAvgAggregator.NAME)
public final class FedAvgAggregator implements Aggregator {
    static final String NAME = "fedavg";

    @Override
    public TensorScope scope() {
        return TensorScope.WHOLE_MODEL;
    }

    @Override
    public AggregationResult aggregate(ModelState global, List<ClientUpdate> updates) {
        return WeightedAverage.sampleWeighted(global, updates, scope());
    }
}
