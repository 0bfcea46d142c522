package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.BitSet;
import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class CompressedUpdatesTest {
    @Test
    void aCompressedUpdateBecomesTheGlobalPlusItsDifferenceWithoutAMask() {
        ModelState sent = ModelState.of(Map.of("w", new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4})));
        BitSet travelled = new BitSet();
        travelled.set(1);
        ClientUpdate update = new ClientUpdate("a", 3, ModelState.of(Map.of("w", new Tensor(new int[] {2, 2},
                new float[] {0, -0.5f, 0, 0}))), ModelMask.of(Map.of("w", travelled)), 7, Map.of("loss", 1.0));
        ClientUpdate model = CompressedUpdates.expand(update, sent);
        assertArrayEquals(new float[] {1, 1.5f, 3, 4}, model.state().tensor("w").values());
        assertNull(model.mask(), "the mask said what travelled, not what the model prunes");
        assertEquals(7, model.samples());
        assertEquals(Map.of("loss", 1.0), model.metrics());
    }
}
