package org.example.fedklpr.median;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class MedianAggregatorTest {
    private static ClientUpdate update(String id, float... values) {
        return new ClientUpdate(id, 1, ModelState.of(Map.of("backbone.w", new Tensor(new int[] {values.length},
                values), "head.weight", new Tensor(new int[] {1}, new float[] {values[0]}))), null, 1, Map.of());
    }

    @Test
    void anOutlierDoesNotMoveTheMedian() {
        ModelState next = new MedianAggregator().aggregate(ModelState.empty(), List.of(update("a", 1, 10),
                update("b", 2, 20), update("c", 1000, -1000))).global();
        assertArrayEquals(new float[] {2, 10}, next.tensor("backbone.w").values());
        assertArrayEquals(new String[] {"backbone.w"}, next.names().toArray(), "heads stay local");
    }

    @Test
    void evenCountsAverageTheMiddlePair() {
        ModelState next = new MedianAggregator().aggregate(ModelState.empty(), List.of(update("a", 1), update("b", 3),
                update("c", 5), update("d", 100))).global();
        assertArrayEquals(new float[] {4}, next.tensor("backbone.w").values());
    }
}
