package org.fedklpr.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.Tracker;

/** The round's optimisers: DJL's updates to the bit, and their state freed when the round closes. */
class RoundOptimizersTest {
    private static DjlRuntime runtime;

    @BeforeAll
    static void start(@TempDir Path cache) {
        runtime = DjlRuntime.start(System.getProperty("DJL_CACHE_DIR", cache.toString()));
    }

    private static Sgd.Builder sgd() {
        return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).optWeightDecays(5e-4f);
    }

    private static Adam.Builder adam() {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-3f)).optWeightDecays(5e-4f);
    }

    @Test
    void sgdWithMomentumUpdatesAsDjlsAndFreesOneStatePerWeight() {
        assertSameUpdatesAndFreedState(() -> sgd().build(), RoundOptimizers.sgd(sgd()), 1);
    }

    @Test
    void adamUpdatesAsDjlsAndFreesTwoStatesPerWeight() {
        assertSameUpdatesAndFreedState(() -> adam().build(), RoundOptimizers.adam(adam()), 2);
    }

    private static void assertSameUpdatesAndFreedState(Supplier<Optimizer> djls, RoundOptimizers ours,
            int statesPerWeight) {
        SplittableRandom random = new SplittableRandom(3);
        float[] initial = new float[37];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = (float) random.nextGaussian();
        }
        Optimizer reference = djls.get();
        try (NDManager manager = runtime.engine().newBaseManager()) {
            NDArray theirs = manager.create(initial, new Shape(initial.length));
            NDArray mine = manager.create(initial, new Shape(initial.length));
            NDArray other = manager.create(new float[] {1f, -2f}, new Shape(2));
            for (int step = 0; step < 4; step++) {
                float[] gradient = new float[initial.length];
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] = (float) random.nextGaussian();
                }
                try (NDArray grad = manager.create(gradient, new Shape(gradient.length));
                        NDArray otherGrad = manager.create(new float[] {0.5f, 0.25f}, new Shape(2))) {
                    reference.update("w", theirs, grad);
                    ours.optimizer().update("w", mine, grad);
                    ours.optimizer().update("b", other, otherGrad);
                }
                assertArrayEquals(theirs.toFloatArray(), mine.toFloatArray(), 0f, "after step " + (step + 1));
            }
            List<NDArray> states = ours.states();
            assertEquals(2 * statesPerWeight, states.size(), "state arrays for two weights");
            states.forEach(state -> assertFalse(state.isReleased()));
            ours.close();
            states.forEach(state -> assertTrue(state.isReleased(), "a state array outlived its round"));
            assertEquals(List.of(), ours.states());
        }
    }
}
