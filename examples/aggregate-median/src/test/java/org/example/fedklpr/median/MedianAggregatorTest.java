package org.example.fedklpr.median;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelMask;
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
    void anElementAClientPrunedIsNotOneOfItsValuesAndOneNobodyKeptStaysPruned() {
        // Client c pruned element 0 (it travels as 0) and everybody pruned element 2.
        BitSet keptByAll = new BitSet();
        keptByAll.set(0, 2);
        BitSet keptByC = new BitSet();
        keptByC.set(1);
        ClientUpdate a = masked(update("a", 4, 10, 7), keptByAll);
        ClientUpdate b = masked(update("b", 6, 20, 7), keptByAll);
        ClientUpdate c = masked(update("c", 0, 30, 7), keptByC);
        ModelState next = new MedianAggregator().aggregate(ModelState.empty(), List.of(a, b, c)).global();
        // Element 0: median of 4 and 6 only (not of 0, 4, 6); element 1: of all three; element 2: nobody's.
        assertArrayEquals(new float[] {5, 20, 0}, next.tensor("backbone.w").values());
    }

    private static ClientUpdate masked(ClientUpdate update, BitSet kept) {
        return update.with(update.state(), ModelMask.of(Map.of("backbone.w", kept)));
    }

    @Test
    void evenCountsAverageTheMiddlePair() {
        ModelState next = new MedianAggregator().aggregate(ModelState.empty(), List.of(update("a", 1), update("b", 3),
                update("c", 5), update("d", 100))).global();
        assertArrayEquals(new float[] {4}, next.tensor("backbone.w").values());
    }
}
