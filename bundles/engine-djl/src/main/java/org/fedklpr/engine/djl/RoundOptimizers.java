package org.fedklpr.engine.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;

/**
 * DJL's SGD and Adam for one round of local training, with their per-weight state (SGD's momentum,
 * Adam's two moments) freed when the round closes.
 *
 * <p>DJL creates that state with {@code zerosLike()} and then detaches it from every manager,
 * leaving it to the garbage collector; on MXNet nothing frees a detached array, so every round left
 * one model's worth of MXNet memory behind (Adam two): the demo grew by about 6 MB a round, a
 * ResNet-50 client by 100 MB. The updates are DJL's own (same operators, same arguments), so
 * training is bit-for-bit what it was.
 */
final class RoundOptimizers implements AutoCloseable {
    private final List<NDArray> states = new ArrayList<>();
    private final Optimizer optimizer;

    private RoundOptimizers(Function<RoundOptimizers, Optimizer> build) {
        this.optimizer = build.apply(this);
    }

    static RoundOptimizers sgd(Sgd.Builder settings) {
        return new RoundOptimizers(owner -> new OwnedSgd(settings, owner));
    }

    static RoundOptimizers adam(Adam.Builder settings) {
        return new RoundOptimizers(owner -> new OwnedAdam(settings, owner));
    }

    Optimizer optimizer() {
        return optimizer;
    }

    /** The state arrays created so far: one per weight for SGD with momentum, two for Adam. */
    List<NDArray> states() {
        synchronized (states) {
            return List.copyOf(states);
        }
    }

    private Function<String, NDArray> recording(Function<String, NDArray> create) {
        return key -> {
            NDArray state = create.apply(key);
            synchronized (states) {
                states.add(state);
            }
            return state;
        };
    }

    @Override
    public void close() {
        synchronized (states) {
            states.forEach(NDArray::close);
            states.clear();
        }
    }

    private static final class OwnedSgd extends Sgd {
        private final RoundOptimizers owner;

        OwnedSgd(Sgd.Builder settings, RoundOptimizers owner) {
            super(settings);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                Function<String, NDArray> defaultFunction) {
            return super.withDefaultState(state, key, device, owner.recording(defaultFunction));
        }
    }

    private static final class OwnedAdam extends Adam {
        private final RoundOptimizers owner;

        OwnedAdam(Adam.Builder settings, RoundOptimizers owner) {
            super(settings);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                Function<String, NDArray> defaultFunction) {
            return super.withDefaultState(state, key, device, owner.recording(defaultFunction));
        }
    }
}
