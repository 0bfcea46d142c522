package org.fedklpr.api.federation;

import java.util.List;

import org.fedklpr.api.engine.TrainingSettings;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;

/**
 * What the coordinator asks of a client in one round.
 *
 * @param round 1-based round number
 * @param global the global tensors the client starts from (the aggregator's scope)
 * @param returnScope the tensors the client sends back
 * @param settings local training settings
 * @param objectives names of the {@link org.fedklpr.api.objective.LocalObjective}s to minimise
 */
public record TrainingTask(int round, ModelState global, TensorScope returnScope, TrainingSettings settings,
        List<String> objectives) {
    public TrainingTask {
        objectives = List.copyOf(objectives);
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("a training task needs at least one objective");
        }
    }
}
