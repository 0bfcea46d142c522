package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class SharedMaskTest {
    @Test
    void whatTheMaskDropsIsZeroAndUnlistedTensorsAreUntouched() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv.weight", new Tensor(new int[] {2, 2}, new float[] {1, -2, 3, -4}));
        tensors.put("bn.gamma", new Tensor(new int[] {2}, new float[] {5, 6}));
        BitSet kept = new BitSet();
        kept.set(1);
        kept.set(3);
        ModelState zeroed = SharedMask.zeroed(ModelState.of(tensors), ModelMask.of(Map.of("conv.weight", kept)));
        assertArrayEquals(new float[] {0, -2, 0, -4}, zeroed.tensor("conv.weight").values());
        assertArrayEquals(new float[] {5, 6}, zeroed.tensor("bn.gamma").values());
        assertArrayEquals(new float[] {1, -2, 3, -4}, tensors.get("conv.weight").values(), "the input is not changed");
    }
}
