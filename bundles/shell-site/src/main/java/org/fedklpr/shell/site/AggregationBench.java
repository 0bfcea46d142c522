package org.fedklpr.shell.site;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.named.NamedServices;

/**
 * Times the installed aggregators on updates the size of a ResNet-50 backbone (8 clients, 25.6 M
 * values each in 50 tensors; half of every tensor masked for the masked strategies) and prints a
 * table: best of a few runs, and the input read per second.
 */
final class AggregationBench {
    private static final int CLIENTS = 8;
    private static final int TENSORS = 50;
    private static final int TENSOR_SIZE = 512 * 1024;
    private static final int REPEATS = 3;

    private AggregationBench() {
    }

    static String run(NamedServices<Aggregator> aggregators) {
        SplittableRandom random = new SplittableRandom(1);
        ModelState global = state(random);
        List<ClientUpdate> dense = new ArrayList<>();
        List<ClientUpdate> masked = new ArrayList<>();
        for (int k = 0; k < CLIENTS; k++) {
            ModelState values = state(random);
            Map<String, Double> metrics = Map.of("klaw", 0.1 + random.nextDouble(), "cdw", 0.1 + random.nextDouble());
            dense.add(new ClientUpdate("client-" + k, 1, values, null, 100 + k, metrics));
            masked.add(new ClientUpdate("client-" + k, 1, values, halfMask(values, random), 100 + k, metrics));
        }
        double gigabytes = (double) CLIENTS * TENSORS * TENSOR_SIZE * 4 / 1e9;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Aggregating %d updates of %.1f M values (%.2f GB of input), best of %d:%n%n"
                        + "| aggregator | masks | seconds | input GB/s |%n|---|---|---|---|%n",
                CLIENTS, TENSORS * (double) TENSOR_SIZE / 1e6, gigabytes, REPEATS));
        for (String name : aggregators.names()) {
            Aggregator aggregator = aggregators.get(name);
            for (List<ClientUpdate> updates : List.of(dense, masked)) {
                double best = Double.MAX_VALUE;
                for (int repeat = 0; repeat < REPEATS; repeat++) {
                    long started = System.nanoTime();
                    aggregator.aggregate(global, updates);
                    best = Math.min(best, (System.nanoTime() - started) / 1e9);
                }
                table.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.2f |%n", name,
                        updates == dense ? "none" : "50 %", best, gigabytes / best));
            }
        }
        return table.toString();
    }

    private static ModelState state(SplittableRandom random) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int t = 0; t < TENSORS; t++) {
            float[] values = new float[TENSOR_SIZE];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            tensors.put("backbone.layer" + t + ".weight", new Tensor(new int[] {512, 1024}, values));
        }
        return ModelState.of(tensors);
    }

    private static ModelMask halfMask(ModelState state, SplittableRandom random) {
        Map<String, BitSet> kept = new LinkedHashMap<>();
        for (String name : state.names()) {
            BitSet bits = new BitSet(TENSOR_SIZE);
            for (int i = 0; i < TENSOR_SIZE; i++) {
                if (random.nextBoolean()) {
                    bits.set(i);
                }
            }
            kept.put(name, bits);
        }
        return ModelMask.of(kept);
    }
}
