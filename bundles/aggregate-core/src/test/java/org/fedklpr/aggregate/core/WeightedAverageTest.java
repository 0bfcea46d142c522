package org.fedklpr.aggregate.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.fedklpr.aggregate.core.WeightedAverage.average;
import static org.fedklpr.aggregate.core.WeightedAverage.maskedAverage;
import static org.fedklpr.aggregate.core.WeightedAverage.sampleWeighted;
import static org.fedklpr.aggregate.core.WeightedAverage.sampleWeights;
import static org.fedklpr.aggregate.core.WeightedAverage.updateSpaceAverage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.junit.jupiter.api.Test;

class WeightedAverageTest {

    static ModelState state(Object... nameShapeValues) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < nameShapeValues.length; i += 3) {
            tensors.put((String) nameShapeValues[i], new Tensor((int[]) nameShapeValues[i + 1],
                    (float[]) nameShapeValues[i + 2]));
        }
        return ModelState.of(tensors);
    }

    static ClientUpdate update(String client, long samples, ModelState state) {
        return new ClientUpdate(client, 1, state, null, samples, Map.of());
    }

    @Test
    void sampleWeightedAverageOfTwoClients() {
        ModelState global = state("backbone.w", new int[] {2}, new float[] {9, 9}, "extra", new int[] {1},
                new float[] {7});
        List<ClientUpdate> updates = List.of(
                update("a", 1, state("backbone.w", new int[] {2}, new float[] {1, 2})),
                update("b", 3, state("backbone.w", new int[] {2}, new float[] {5, 6})));
        AggregationResult result = WeightedAverage.sampleWeighted(global, updates, TensorScope.BACKBONE);
        // 0.25 * [1, 2] + 0.75 * [5, 6]
        assertArrayEquals(new float[] {4, 5}, result.global().tensor("backbone.w").values(), 1e-6f);
        assertArrayEquals(new float[] {7}, result.global().tensor("extra").values(), "untouched tensors keep their value");
        assertEquals(Map.of("a", 0.25, "b", 0.75), result.clientWeights());
    }

    @Test
    void scopeDropsTheHeads() {
        ModelState global = state("backbone.w", new int[] {1}, new float[] {0}, "head.weight", new int[] {1},
                new float[] {-1});
        List<ClientUpdate> updates = List.of(
                update("a", 2, state("backbone.w", new int[] {1}, new float[] {2}, "head.weight", new int[] {3},
                        new float[] {1, 1, 1})),
                update("b", 2, state("backbone.w", new int[] {1}, new float[] {4}, "head.weight", new int[] {2},
                        new float[] {5, 5})));
        ModelState next = WeightedAverage.sampleWeighted(global, updates, TensorScope.BACKBONE).global();
        assertArrayEquals(new float[] {3}, next.tensor("backbone.w").values());
        assertArrayEquals(new float[] {-1}, next.tensor("head.weight").values());
    }

    @Test
    void mismatchedShapesNameTheTensorAndTheClients() {
        List<ClientUpdate> updates = List.of(
                update("site-1", 1, state("head.weight", new int[] {3, 2}, new float[6])),
                update("site-2", 1, state("head.weight", new int[] {4, 2}, new float[8])));
        FedklprException e = assertThrows(FedklprException.class,
                () -> WeightedAverage.sampleWeighted(ModelState.empty(), updates, TensorScope.WHOLE_MODEL));
        assertTrue(e.getMessage().contains("'head.weight'") && e.getMessage().contains("site-1")
                && e.getMessage().contains("site-2") && e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    @Test
    void maskedAverageCountsOnlyTheClientsThatKeptAnElement() {
        // element 0: both kept -> (0.25*1 + 0.75*5) = 4; element 1: only a kept -> 2;
        // element 2: only b kept -> 7; element 3: nobody kept -> 0 (stays pruned)
        BitSet keptA = BitSet.valueOf(new long[] {0b0011});
        BitSet keptB = BitSet.valueOf(new long[] {0b0101});
        ClientUpdate a = new ClientUpdate("a", 1, state("w", new int[] {4}, new float[] {1, 2, 0, 0}),
                ModelMask.of(Map.of("w", keptA)), 1, Map.of());
        ClientUpdate b = new ClientUpdate("b", 1, state("w", new int[] {4}, new float[] {5, 0, 7, 0}),
                ModelMask.of(Map.of("w", keptB)), 3, Map.of());
        ModelState global = state("w", new int[] {4}, new float[] {9, 9, 9, 9});
        ModelState next = WeightedAverage.maskedAverage(global, List.of(a, b), new double[] {0.25, 0.75});
        assertArrayEquals(new float[] {4, 2, 7, 0}, next.tensor("w").values(), 1e-6f);
        // Without masks it is the plain weighted average.
        ClientUpdate plainA = new ClientUpdate("a", 1, a.state(), null, 1, Map.of());
        ClientUpdate plainB = new ClientUpdate("b", 1, b.state(), null, 3, Map.of());
        assertArrayEquals(WeightedAverage.average(global, List.of(plainA, plainB), new double[] {0.25, 0.75})
                .tensor("w").values(), WeightedAverage.maskedAverage(global, List.of(plainA, plainB),
                        new double[] {0.25, 0.75}).tensor("w").values(), 1e-6f);
    }

    @Test
    void theVariantsDifferOnlyWhereSomeClientPruned() {
        // a keeps elements 0 and 1, b keeps 0 and 2, nobody keeps 3; weights 0.25 / 0.75; global 9 everywhere
        ClientUpdate a = new ClientUpdate("a", 1, state("w", new int[] {4}, new float[] {1, 2, 0, 0}),
                ModelMask.of(Map.of("w", BitSet.valueOf(new long[] {0b0011}))), 1, Map.of());
        ClientUpdate b = new ClientUpdate("b", 1, state("w", new int[] {4}, new float[] {5, 0, 7, 0}),
                ModelMask.of(Map.of("w", BitSet.valueOf(new long[] {0b0101}))), 3, Map.of());
        ModelState global = state("w", new int[] {4}, new float[] {9, 9, 9, 9});
        double[] weights = {0.25, 0.75};
        // (a) as the masked average, but the element nobody kept keeps its global value
        assertArrayEquals(new float[] {4, 2, 7, 9}, WeightedAverage.maskedAverage(global, List.of(a, b), weights,
                WeightedAverage.Unkept.GLOBAL).tensor("w").values(), 1e-6f);
        // (b) 9 + 0.25 (1 - 9) + 0.75 (5 - 9) = 4; 9 + 0.25 (2 - 9) = 7.25; 9 + 0.75 (7 - 9) = 7.5; 9
        assertArrayEquals(new float[] {4, 7.25f, 7.5f, 9}, WeightedAverage.updateSpaceAverage(global, List.of(a, b),
                weights).tensor("w").values(), 1e-6f);
        // without masks all three are the plain weighted average
        ClientUpdate plainA = new ClientUpdate("a", 1, a.state(), null, 1, Map.of());
        ClientUpdate plainB = new ClientUpdate("b", 1, b.state(), null, 3, Map.of());
        float[] plain = WeightedAverage.average(global, List.of(plainA, plainB), weights).tensor("w").values();
        assertArrayEquals(plain, WeightedAverage.updateSpaceAverage(global, List.of(plainA, plainB), weights)
                .tensor("w").values());
        assertArrayEquals(plain, WeightedAverage.maskedAverage(global, List.of(plainA, plainB), weights,
                WeightedAverage.Unkept.GLOBAL).tensor("w").values());
        // both variants need the global value of a masked tensor
        FedklprException missing = assertThrows(FedklprException.class,
                () -> WeightedAverage.updateSpaceAverage(ModelState.empty(), List.of(a, b), weights));
        assertTrue(missing.getMessage().contains("'w' is missing from the global model"), missing.getMessage());
    }

    @Test
    void normalisedWeightsFallBackToEqualAndRejectNegatives() {
        List<ClientUpdate> two = List.of(update("a", 1, ModelState.empty()), update("b", 1, ModelState.empty()));
        assertArrayEquals(new double[] {0.25, 0.75}, WeightedAverage.normalised(new double[] {1, 3}, two), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, WeightedAverage.normalised(new double[] {0, 0}, two), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightedAverage.normalised(new double[] {1, Double.NaN}, two));
        assertTrue(e.getMessage().contains("client b"), e.getMessage());
    }

    @Test
    void missingTensorIsAnError() {
        List<ClientUpdate> updates = List.of(
                update("a", 1, state("x", new int[] {1}, new float[1], "y", new int[] {1}, new float[1])),
                update("b", 1, state("x", new int[] {1}, new float[1])));
        assertThrows(FedklprException.class, () -> WeightedAverage.average(ModelState.empty(), updates,
                WeightedAverage.uniform(2)));
    }

    @Test
    void updatesReadOnDemandGiveTheSameBitsAndAreReadOnceATensorAtATime() {
        Random random = new Random(7);
        ModelState global = state("backbone.a", new int[] {4, 3}, gaussian(random, 12), "backbone.b", new int[] {5},
                gaussian(random, 5));
        List<ClientUpdate> inMemory = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            BitSet kept = new BitSet();
            for (int i = 0; i < 12; i++) {
                if (random.nextBoolean()) {
                    kept.set(i);
                }
            }
            ModelState values = state("backbone.a", new int[] {4, 3}, gaussian(random, 12), "backbone.b",
                    new int[] {5}, gaussian(random, 5));
            inMemory.add(new ClientUpdate("c" + k, 1, values, ModelMask.of(Map.of("backbone.a", kept)), 10 + k,
                    Map.of()));
        }
        Map<String, AtomicInteger> reads = new LinkedHashMap<>();
        List<ClientUpdate> onDemand = new ArrayList<>();
        for (ClientUpdate update : inMemory) {
            Map<String, int[]> shapes = new LinkedHashMap<>();
            update.state().tensors().forEach((name, tensor) -> shapes.put(name, tensor.shape()));
            onDemand.add(update.with(ModelState.readOnDemand(shapes, name -> {
                reads.computeIfAbsent(update.clientId() + "/" + name, key -> new AtomicInteger()).incrementAndGet();
                return update.state().tensor(name);
            }), update.mask()));
        }
        double[] weights = sampleWeights(inMemory);
        assertEquals(average(global, inMemory, weights), average(global, onDemand, weights));
        assertEquals(maskedAverage(global, inMemory, weights, WeightedAverage.Unkept.GLOBAL),
                maskedAverage(global, onDemand, weights, WeightedAverage.Unkept.GLOBAL));
        assertEquals(updateSpaceAverage(global, inMemory, weights), updateSpaceAverage(global, onDemand, weights));
        assertEquals(sampleWeighted(global, inMemory, TensorScope.BACKBONE).global(),
                sampleWeighted(global, onDemand, TensorScope.BACKBONE).global());
        assertEquals(6, reads.size());
        reads.forEach((tensor, count) -> assertEquals(4, count.get(), tensor + ": once in each of the four averages"));
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
