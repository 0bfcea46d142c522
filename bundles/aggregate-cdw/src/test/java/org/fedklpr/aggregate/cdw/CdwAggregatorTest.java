package org.fedklpr.aggregate.cdw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class CdwAggregatorTest {
    private static CdwAggregator.Config alpha(double alpha) {
        return new CdwAggregator.Config() {
            @Override
            public double alpha() {
                return alpha;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return CdwAggregator.Config.class;
            }
        };
    }

    private static ClientUpdate update(String id, long samples, double cdw, float value) {
        return new ClientUpdate(id, 1, ModelState.of(Map.of("backbone.w", new Tensor(new int[] {1},
                new float[] {value}), "head.weight", new Tensor(new int[] {1}, new float[] {value}))), null, samples,
                Map.of("cdw", cdw));
    }

    @Test
    void weightsFollowTheCosineDistanceAndHeadsStayLocal() {
        List<ClientUpdate> updates = List.of(update("a", 100, 0.1, 0), update("b", 1, 0.3, 4));
        AggregationResult result = new CdwAggregator(alpha(0)).aggregate(ModelState.empty(), updates);
        assertEquals(0.25, result.clientWeights().get("a"), 1e-12);
        assertEquals(0.75, result.clientWeights().get("b"), 1e-12);
        assertArrayEquals(new float[] {3}, result.global().tensor("backbone.w").values(), 1e-6f);
        assertEquals(List.of("backbone.w"), List.copyOf(result.global().names()));
        // α = 1 multiplies by sample counts: 100·0.1 = 10 against 1·0.3
        assertEquals(10 / 10.3, new CdwAggregator(alpha(1)).aggregate(ModelState.empty(), updates)
                .clientWeights().get("a"), 1e-12);
    }
}
