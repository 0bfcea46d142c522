package org.fedklpr.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class UpdateCheckTest {
    private static final ModelState SENT = ModelState.of(Map.of("backbone.w", new Tensor(new int[] {2}, new float[2])));

    private static ClientUpdate update(String client, int round, String name, int[] shape, float... values) {
        return new ClientUpdate(client, round, ModelState.of(Map.of(name, new Tensor(shape, values))), null, 3, Map.of());
    }

    @Test
    void aSoundUpdatePasses() {
        assertNull(UpdateCheck.problem(update("a", 2, "backbone.w", new int[] {2}, 1, 2), "a", 2, SENT));
    }

    @Test
    void everyKindOfBadUpdateIsNamed() {
        assertEquals("it claims to come from client 'b'",
                UpdateCheck.problem(update("b", 2, "backbone.w", new int[] {2}, 1, 2), "a", 2, SENT));
        assertEquals("it answers round 1",
                UpdateCheck.problem(update("a", 1, "backbone.w", new int[] {2}, 1, 2), "a", 2, SENT));
        assertEquals("it carries tensors [head.weight], expected [backbone.w]",
                UpdateCheck.problem(update("a", 2, "head.weight", new int[] {2}, 1, 2), "a", 2, SENT));
        assertEquals("tensor 'backbone.w' has shape [1, 2], expected [2]",
                UpdateCheck.problem(update("a", 2, "backbone.w", new int[] {1, 2}, 1, 2), "a", 2, SENT));
        assertEquals("tensor 'backbone.w' holds NaN at element 1",
                UpdateCheck.problem(update("a", 2, "backbone.w", new int[] {2}, 1, Float.NaN), "a", 2, SENT));
        assertEquals("tensor 'backbone.w' holds Infinity at element 0", UpdateCheck.problem(
                update("a", 2, "backbone.w", new int[] {2}, Float.POSITIVE_INFINITY, 0), "a", 2, SENT));
        ClientUpdate diverged = new ClientUpdate("a", 2, SENT, null, 3, Map.of(ClientUpdate.DIVERGED_AT_STEP, 7.0));
        assertEquals("training diverged: at step 7", UpdateCheck.problem(diverged, "a", 2, SENT));
        ClientUpdate explained = new ClientUpdate("a", 2, SENT, null, 3, Map.of(ClientUpdate.DIVERGED_AT_STEP, 7.0),
                Map.of(ClientUpdate.DIVERGENCE, "the loss was not finite at step 7, where the client stopped"));
        assertEquals("training diverged: the loss was not finite at step 7, where the client stopped",
                UpdateCheck.problem(explained, "a", 2, SENT));
    }
}
