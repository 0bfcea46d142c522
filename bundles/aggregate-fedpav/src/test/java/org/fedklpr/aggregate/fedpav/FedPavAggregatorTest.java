package org.fedklpr.aggregate.fedpav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.junit.jupiter.api.Test;

class FedPavAggregatorTest {
    @Test
    void averagesTheBackboneBySampleCountAndLeavesHeadsLocal() {
        FedPavAggregator fedPav = new FedPavAggregator();
        assertEquals(TensorScope.BACKBONE, fedPav.scope());
        ModelState global = ModelState.of(Map.of("head.weight", new Tensor(new int[] {1}, new float[] {-5})));
        // Heads of different sizes (different identity counts) are fine: they are not averaged.
        ClientUpdate a = new ClientUpdate("a", 1, ModelState.of(Map.of(
                "backbone.w", new Tensor(new int[] {2}, new float[] {1, 1}),
                "head.weight", new Tensor(new int[] {3}, new float[3]))), null, 1, Map.of());
        ClientUpdate b = new ClientUpdate("b", 1, ModelState.of(Map.of(
                "backbone.w", new Tensor(new int[] {2}, new float[] {3, 5}))), null, 1, Map.of());
        var result = fedPav.aggregate(global, List.of(a, b));
        assertArrayEquals(new float[] {2, 3}, result.global().tensor("backbone.w").values());
        assertArrayEquals(new float[] {-5}, result.global().tensor("head.weight").values());
        assertEquals(Map.of("a", 0.5, "b", 0.5), result.clientWeights());
    }
}
