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
    void eachClientGetsWhatItsLastMaskKept() {
        DownlinkMasks masks = new DownlinkMasks();
        assertNull(masks.of("a"), "nothing known: everything");
        masks.received("a", mask(0b1111_0000));
        masks.received("b", mask(0b0000_0011));
        assertEquals(mask(0b1111_0000), masks.of("a"));
        assertEquals(mask(0b0000_0011), masks.of("b"));
        masks.received("a", null);
        assertNull(masks.of("a"), "a client that stops pruning gets everything");
    }
}
