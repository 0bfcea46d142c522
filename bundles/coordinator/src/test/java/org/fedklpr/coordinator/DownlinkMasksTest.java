package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.BitSet;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.junit.jupiter.api.Test;

class DownlinkMasksTest {
    private static ModelMask mask(long bits) {
        return ModelMask.of(Map.of("w", BitSet.valueOf(new long[] {bits})));
    }

    @Test
    void theUnionOfTheLastTwoMasksTravelsAfterTwoPrunedRounds() {
        DownlinkMasks masks = new DownlinkMasks();
        assertNull(masks.of("a"), "nothing known: everything");
        masks.received("a", mask(0b1111_0000));
        assertNull(masks.of("a"), "one pruned round: a recovery would need the whole model");
        masks.received("a", mask(0b1100_0000));
        assertEquals(mask(0b1111_0000), masks.of("a"));
        masks.received("a", mask(0b0100_0001));
        assertEquals(mask(0b1100_0001), masks.of("a"));
        masks.received("a", null);
        assertNull(masks.of("a"), "a client that stops pruning gets everything");
    }
}
