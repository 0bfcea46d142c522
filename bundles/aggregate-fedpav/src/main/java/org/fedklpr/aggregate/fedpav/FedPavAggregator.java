package org.fedklpr.aggregate.fedpav;

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
 * Federated partial averaging (FedReID, Zhuang et al. 2020): backbone and embedding averaged by client
 * sample count; each client keeps its own identity classifier.
 * <p>{@code θ = Σ_k (n_k / Σ_j n_j) · θ_k} over the tensors in scope; the others keep the global value.
 */
@Component(property = Names.SERVICE_NAME + "=" + FedPavAggregator.NAME)
public final class FedPavAggregator implements Aggregator {
    static final String NAME = "fedpav";

    @Override
    public TensorScope scope() {
        return TensorScope.BACKBONE;
    }

    @Override
    public AggregationResult aggregate(ModelState global, List<ClientUpdate> updates) {
        return WeightedAverage.sampleWeighted(global, updates, scope());
    }
}
