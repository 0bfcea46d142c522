package org.fedklpr.api.experiment;

import java.util.List;

import org.fedklpr.api.model.TensorScope;

/**
 * What the coordinator decided at the start of a round.
 *
 * @param round 1-based (round 0 is the evaluation of the initial model)
 * @param clients the selected clients
 * @param aggregator the aggregator's name
 * @param scope the tensors exchanged
 */
public record RoundPlan(int round, List<String> clients, String aggregator, TensorScope scope) {
    public RoundPlan {
        clients = List.copyOf(clients);
    }
}
