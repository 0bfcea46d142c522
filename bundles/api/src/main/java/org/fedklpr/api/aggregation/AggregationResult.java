package org.fedklpr.api.aggregation;

import java.util.Map;

import org.fedklpr.api.model.ModelState;

/**
 * The next global model and the weight each client's update received (summing to 1), which the
 * metrics log records.
 */
public record AggregationResult(ModelState global, Map<String, Double> clientWeights) {
    public AggregationResult {
        clientWeights = Map.copyOf(clientWeights);
    }
}
