package org.fedklpr.aggregate.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;

/** Element-wise weighted averages of client updates. */
public final class WeightedAverage {
    private WeightedAverage() {
    }

    /**
     * The sample-weighted average of the tensors in {@code scope}: {@code θ = Σ_k (n_k / Σ_j n_j) θ_k}.
     * Tensors outside the scope, or that no update carries, keep their global value.
     */
    public static AggregationResult sampleWeighted(ModelState global, List<ClientUpdate> updates, TensorScope scope) {
        List<ClientUpdate> inScope = restrictTo(scope, updates);
        double[] weights = sampleWeights(inScope);
        return new AggregationResult(average(global, inScope, weights), byClient(inScope, weights));
    }

    /** The updates with only the tensors of {@code scope}. */
    public static List<ClientUpdate> restrictTo(TensorScope scope, List<ClientUpdate> updates) {
        return updates.stream()
                .map(u -> new ClientUpdate(u.clientId(), u.round(), u.state().select(scope), u.mask(), u.samples(),
                        u.metrics()))
                .toList();
    }

    /**
     * Weights proportional to each client's sample count, normalised to sum to 1.
     */
    public static double[] sampleWeights(List<ClientUpdate> updates) {
        double total = 0;
        for (ClientUpdate update : updates) {
            total += update.samples();
        }
        double[] weights = new double[updates.size()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = updates.get(k).samples() / total;
        }
        return weights;
    }

    /** Equal weights, 1/K each. */
    public static double[] uniform(int clients) {
        double[] weights = new double[clients];
        Arrays.fill(weights, 1.0 / clients);
        return weights;
    }

    /**
     * {@code global} with every tensor the updates carry replaced by {@code sum_k weights[k] * update_k}.
     *
     * @param weights one per update, summing to 1
     * @throws FedklprException if the updates do not carry the same tensors with the same shapes
     */
    public static ModelState average(ModelState global, List<ClientUpdate> updates, double[] weights) {
        checkCompatible(updates);
        if (weights.length != updates.size()) {
            throw new IllegalArgumentException(updates.size() + " updates but " + weights.length + " weights");
        }
        Map<String, Tensor> averaged = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : updates.get(0).state().tensors().entrySet()) {
            String name = entry.getKey();
            float[] sum = new float[entry.getValue().size()];
            for (int k = 0; k < updates.size(); k++) {
                float weight = (float) weights[k];
                float[] values = updates.get(k).state().tensor(name).values();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += weight * values[i];
                }
            }
            averaged.put(name, new Tensor(entry.getValue().shape(), sum));
        }
        return global.with(ModelState.of(averaged));
    }

    /**
     * Checks that every update carries exactly the first update's tensors, with the same shapes.
     *
     * @throws FedklprException naming the tensor and the two clients that disagree
     */
    public static void checkCompatible(List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("nothing to aggregate: no client updates");
        }
        ClientUpdate reference = updates.get(0);
        for (ClientUpdate update : updates.subList(1, updates.size())) {
            if (!update.state().names().equals(reference.state().names())) {
                throw new FedklprException("client " + update.clientId() + " sent tensors "
                        + update.state().names() + " but client " + reference.clientId() + " sent "
                        + reference.state().names());
            }
            for (Map.Entry<String, Tensor> entry : reference.state().tensors().entrySet()) {
                Tensor other = update.state().tensor(entry.getKey());
                if (!other.sameShape(entry.getValue())) {
                    throw new FedklprException("tensor '" + entry.getKey() + "' has shape " + other.shapeText()
                            + " from client " + update.clientId() + " but " + entry.getValue().shapeText()
                            + " from client " + reference.clientId()
                            + " (averaging it needs one shape: clients with their own identity heads need an"
                            + " aggregator that keeps heads local, or one shared label space)");
                }
            }
        }
    }

    /** Client id to weight, in update order, for {@link AggregationResult}. */
    public static Map<String, Double> byClient(List<ClientUpdate> updates, double[] weights) {
        Map<String, Double> byClient = new LinkedHashMap<>();
        for (int k = 0; k < weights.length; k++) {
            byClient.put(updates.get(k).clientId(), weights[k]);
        }
        return byClient;
    }
}
