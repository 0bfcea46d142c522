package org.fedklpr.aggregate.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.junit.jupiter.api.Test;

class FedAvgAggregatorTest {
    private static ClientUpdate update(String client, long samples, float backbone, float head) {
        return new ClientUpdate(client, 1, ModelState.of(Map.of(
                "backbone.w", new Tensor(new int[] {1}, new float[] {backbone}),
                "head.weight", new Tensor(new int[] {1}, new float[] {head}))), null, samples, Map.of());
    }

    @Test
    void averagesTheWholeModelHeadIncludedBySampleCount() {
        FedAvgAggregator fedAvg = new FedAvgAggregator();
        assertEquals(TensorScope.WHOLE_MODEL, fedAvg.scope());
        var result = fedAvg.aggregate(ModelState.empty(), List.of(update("a", 10, 0, 0), update("b", 30, 4, 8)));
        assertArrayEquals(new float[] {3}, result.global().tensor("backbone.w").values());
        assertArrayEquals(new float[] {6}, result.global().tensor("head.weight").values());
        assertEquals(0.75, result.clientWeights().get("b"), 1e-12);
    }
}
