package org.fedklpr.aggregate.klpwa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class KlpwaAggregatorTest {
    private static KlpwaAggregator.Config config(double alpha, boolean klaw, boolean praw) {
        return config(alpha, klaw, praw, KlpwaAggregator.MASKED);
    }

    private static KlpwaAggregator.Config config(double alpha, boolean klaw, boolean praw, String averaging) {
        return new KlpwaAggregator.Config() {
            @Override
            public double alpha() {
                return alpha;
            }

            @Override
            public boolean klaw() {
                return klaw;
            }

            @Override
            public boolean praw() {
                return praw;
            }

            @Override
            public String averaging() {
                return averaging;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return KlpwaAggregator.Config.class;
            }
        };
    }

    private static ClientUpdate update(String id, long samples, double klaw, float[] values, int... kept) {
        BitSet bits = new BitSet();
        for (int index : kept) {
            bits.set(index);
        }
        return new ClientUpdate(id, 1, ModelState.of(Map.of("backbone.w", new Tensor(new int[] {4}, values))),
                ModelMask.of(Map.of("backbone.w", bits)), samples, Map.of("klaw", klaw));
    }

    private static final List<ClientUpdate> UPDATES = List.of(
            update("a", 10, 0.2, new float[] {1, 1, 1, 0}, 0, 1, 2),   // n·KLAW·PRAW = 10·0.2·0.75 = 1.5
            update("b", 30, 0.1, new float[] {4, 4, 4, 0}, 0, 1, 2),   // 30·0.1·0.75 = 2.25
            update("c", 20, 0.3, new float[] {7, 7, 0, 0}, 0, 1));     // 20·0.3·0.5 = 3.0

    @Test
    void weightsAreSampleTimesKlawTimesPrawAndAveragingIsMasked() {
        AggregationResult result = new KlpwaAggregator(config(1, true, true)).aggregate(ModelState.empty(), UPDATES);
        assertEquals(1.5 / 6.75, result.clientWeights().get("a"), 1e-12);
        assertEquals(2.25 / 6.75, result.clientWeights().get("b"), 1e-12);
        assertEquals(3.0 / 6.75, result.clientWeights().get("c"), 1e-12);
        double wa = 1.5 / 6.75;
        double wb = 2.25 / 6.75;
        double wc = 3.0 / 6.75;
        float element0 = (float) (wa * 1 + wb * 4 + wc * 7);
        float element2 = (float) ((wa * 1 + wb * 4) / (wa + wb));
        // element 3: no client kept it, so it stays pruned (0)
        assertArrayEquals(new float[] {element0, element0, element2, 0},
                result.global().tensor("backbone.w").values(), 1e-5f);
    }

    @Test
    void theAveragingVariantsTreatPrunedElementsAsConfigured() {
        double wa = 1.5 / 6.75;
        double wb = 2.25 / 6.75;
        double wc = 3.0 / 6.75;
        ModelState global = ModelState.of(Map.of("backbone.w", new Tensor(new int[] {4}, new float[] {2, 2, 2, 2})));
        float element0 = (float) (wa * 1 + wb * 4 + wc * 7);
        float[] keepGlobal = new KlpwaAggregator(config(1, true, true, KlpwaAggregator.MASKED_KEEP_GLOBAL))
                .aggregate(global, UPDATES).global().tensor("backbone.w").values();
        // elements 0-2 as the masked average; element 3, which nobody kept, keeps its global 2
        assertArrayEquals(new float[] {element0, element0, (float) ((wa * 1 + wb * 4) / (wa + wb)), 2}, keepGlobal,
                1e-5f);
        float[] updateSpace = new KlpwaAggregator(config(1, true, true, KlpwaAggregator.UPDATE_SPACE))
                .aggregate(global, UPDATES).global().tensor("backbone.w").values();
        // element 2: c pruned it and contributes no change: 2 + wa (1 - 2) + wb (4 - 2)
        assertArrayEquals(new float[] {element0, element0, (float) (2 + wa * (1 - 2) + wb * (4 - 2)), 2},
                updateSpace, 1e-5f);
    }

    @Test
    void eachFactorCanBeSwitchedOff() {
        // KLAW off: n·PRAW = 7.5, 22.5, 10
        AggregationResult noKlaw = new KlpwaAggregator(config(1, false, true)).aggregate(ModelState.empty(), UPDATES);
        assertEquals(7.5 / 40, noKlaw.clientWeights().get("a"), 1e-12);
        // PRAW off and α = 0: KLAW alone = 0.2, 0.1, 0.3
        AggregationResult klawOnly = new KlpwaAggregator(config(0, true, false)).aggregate(ModelState.empty(), UPDATES);
        assertEquals(0.3 / 0.6, klawOnly.clientWeights().get("c"), 1e-12);
    }

    @Test
    void aMissingKlawMetricNamesTheClient() {
        ClientUpdate silent = new ClientUpdate("quiet", 1, UPDATES.get(0).state(), null, 5, Map.of());
        FedklprException e = assertThrows(FedklprException.class, () -> new KlpwaAggregator(config(1, true, true))
                .aggregate(ModelState.empty(), List.of(UPDATES.get(0), silent)));
        assertTrue(e.getMessage().contains("'klaw'") && e.getMessage().contains("quiet"), e.getMessage());
    }
}
