package org.fedklpr.aggregate.core;

import java.util.Arrays;
import java.util.BitSet;
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
        return updates.stream().map(u -> u.with(u.state().select(scope), u.mask())).toList();
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
        ModelState first = updates.get(0).state();
        for (String name : first.names()) {
            averaged.put(name, weightedSum(updates, name, first.shape(name), weights));
        }
        return global.with(ModelState.of(averaged));
    }

    /**
     * {@code Σ_k weights[k] · update_k[name]}: one pass over each client's values, a tensor at a time
     * (an update read on demand is read once, a tensor at a time).
     */
    private static Tensor weightedSum(List<ClientUpdate> updates, String name, int[] shape, double[] weights) {
        float[] sum = new float[(int) Tensor.elementCount(shape)];
        for (int k = 0; k < updates.size(); k++) {
            float weight = (float) weights[k];
            float[] values = updates.get(k).state().tensor(name).values();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += weight * values[i];
            }
        }
        return new Tensor(shape, sum);
    }

    /** What {@link #maskedAverage} makes of an element that no client kept. */
    public enum Unkept {
        /** 0: it stays pruned in the global model (our first reading of KLPWA). */
        ZERO,
        /** The previous global value: only elements some client kept are updated. */
        GLOBAL
    }

    /** {@link #maskedAverage(ModelState, List, double[], Unkept)} with {@link Unkept#ZERO}. */
    public static ModelState maskedAverage(ModelState global, List<ClientUpdate> updates, double[] weights) {
        return maskedAverage(global, updates, weights, Unkept.ZERO);
    }

    /**
     * Masked element-wise average (KLPWA's): per element,
     * {@code θ[i] = Σ_k w_k m_k[i] θ_k[i] / Σ_k w_k m_k[i]}, where {@code m_k[i]} is 1 when client k
     * kept the element (an update without a mask for a tensor kept all of it). An element no client
     * kept becomes 0 or keeps its global value, as {@code unkept} says.
     *
     * @param weights one per update, not negative
     * @throws FedklprException if the updates do not carry the same tensors with the same shapes, or
     *         (for {@link Unkept#GLOBAL}) the global model lacks one of them
     */
    public static ModelState maskedAverage(ModelState global, List<ClientUpdate> updates, double[] weights,
            Unkept unkept) {
        checkCompatible(updates);
        Map<String, Tensor> averaged = new LinkedHashMap<>();
        ModelState first = updates.get(0).state();
        for (String name : first.names()) {
            int[] shape = first.shape(name);
            int size = (int) Tensor.elementCount(shape);
            if (!anyMasked(updates, name)) {
                // No client masked this tensor: the plain weighted average, without a denominator.
                averaged.put(name, weightedSum(updates, name, shape, weights));
                continue;
            }
            float[] numerator = new float[size];
            float[] denominator = new float[size];
            for (int k = 0; k < updates.size(); k++) {
                float weight = (float) weights[k];
                float[] values = updates.get(k).state().tensor(name).values();
                BitSet kept = updates.get(k).mask() == null ? null : updates.get(k).mask().tensors().get(name);
                if (kept == null) {
                    for (int i = 0; i < size; i++) {
                        numerator[i] += weight * values[i];
                        denominator[i] += weight;
                    }
                } else {
                    accumulateMasked(numerator, denominator, values, kept.toLongArray(), weight);
                }
            }
            float[] previous = unkept == Unkept.GLOBAL ? globalValues(global, name, shape) : null;
            for (int i = 0; i < size; i++) {
                numerator[i] = denominator[i] > 0 ? numerator[i] / denominator[i] : previous == null ? 0f
                        : previous[i];
            }
            averaged.put(name, new Tensor(shape, numerator));
        }
        return global.with(ModelState.of(averaged));
    }

    /**
     * Averaging in update space: {@code θ[i] = θ_g[i] + Σ_k w_k m_k[i] (θ_k[i] − θ_g[i])}, with the
     * weights summing to 1 over all clients. A client that pruned an element contributes no change to
     * it ("my update there is 0"), so an element kept by few clients moves by their share of the
     * weight only, and one nobody kept keeps its global value. (Normalising by {@code Σ_k w_k m_k[i]}
     * instead would give exactly {@link #maskedAverage} with {@link Unkept#GLOBAL}.) Tensors no client
     * masked get the plain weighted average.
     *
     * @param weights one per update, summing to 1
     * @throws FedklprException if the updates do not carry the same tensors with the same shapes, or
     *         the global model lacks a masked one
     */
    public static ModelState updateSpaceAverage(ModelState global, List<ClientUpdate> updates, double[] weights) {
        checkCompatible(updates);
        Map<String, Tensor> averaged = new LinkedHashMap<>();
        ModelState first = updates.get(0).state();
        for (String name : first.names()) {
            int[] shape = first.shape(name);
            if (!anyMasked(updates, name)) {
                averaged.put(name, weightedSum(updates, name, shape, weights));
                continue;
            }
            float[] base = globalValues(global, name, shape);
            float[] change = new float[base.length];
            for (int k = 0; k < updates.size(); k++) {
                float weight = (float) weights[k];
                float[] values = updates.get(k).state().tensor(name).values();
                BitSet kept = updates.get(k).mask() == null ? null : updates.get(k).mask().tensors().get(name);
                if (kept == null) {
                    for (int i = 0; i < base.length; i++) {
                        change[i] += weight * (values[i] - base[i]);
                    }
                } else {
                    for (int i = kept.nextSetBit(0); i >= 0 && i < base.length; i = kept.nextSetBit(i + 1)) {
                        change[i] += weight * (values[i] - base[i]);
                    }
                }
            }
            for (int i = 0; i < base.length; i++) {
                change[i] += base[i];
            }
            averaged.put(name, new Tensor(shape, change));
        }
        return global.with(ModelState.of(averaged));
    }

    private static boolean anyMasked(List<ClientUpdate> updates, String name) {
        return updates.stream().anyMatch(u -> u.mask() != null && u.mask().tensors().containsKey(name));
    }

    /** The global model's values of a tensor the updates carry, of the same shape. */
    private static float[] globalValues(ModelState global, String name, int[] shape) {
        Tensor previous = global.tensors().get(name);
        if (previous == null || !Arrays.equals(previous.shape(), shape)) {
            throw new FedklprException("tensor '" + name + "' is " + (previous == null ? "missing from"
                    : "of shape " + previous.shapeText() + " in") + " the global model, but the updates carry it as "
                    + Arrays.toString(shape));
        }
        return previous.values();
    }

    /**
     * Adds {@code weight * values} where the mask's bit is set, visiting only the set bits of each
     * 64-bit mask word (a pruned element costs nothing, and random masks do not stall on branches).
     */
    private static void accumulateMasked(float[] numerator, float[] denominator, float[] values, long[] words,
            float weight) {
        for (int word = 0; word < words.length; word++) {
            long bits = words[word];
            int start = word << 6;
            while (bits != 0) {
                int i = start + Long.numberOfTrailingZeros(bits);
                numerator[i] += weight * values[i];
                denominator[i] += weight;
                bits &= bits - 1;
            }
        }
    }

    /**
     * {@code raw} scaled to sum to 1; equal weights if they sum to zero (no client differs from the
     * global model, say), so that a round never divides by zero.
     *
     * @throws IllegalArgumentException naming the client whose raw weight is negative or not finite
     */
    public static double[] normalised(double[] raw, List<ClientUpdate> updates) {
        double sum = 0;
        for (int k = 0; k < raw.length; k++) {
            if (!(raw[k] >= 0) || Double.isInfinite(raw[k])) {
                throw new IllegalArgumentException("client " + updates.get(k).clientId() + " got the weight " + raw[k]
                        + "; weights must be finite and not negative");
            }
            sum += raw[k];
        }
        if (sum == 0) {
            return uniform(raw.length);
        }
        double[] weights = new double[raw.length];
        for (int k = 0; k < raw.length; k++) {
            weights[k] = raw[k] / sum;
        }
        return weights;
    }

    /**
     * A client metric every update must carry (an aggregator's input such as {@code klaw}).
     *
     * @throws FedklprException naming the client and the metric
     */
    public static double metric(ClientUpdate update, String name, String aggregator) {
        Double value = update.metrics().get(name);
        if (value == null || !Double.isFinite(value)) {
            throw new FedklprException("aggregator " + aggregator + " needs the metric '" + name + "' from client "
                    + update.clientId() + ", which sent " + (value == null ? "none" : value));
        }
        return value;
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
            for (String name : reference.state().names()) {
                int[] shape = update.state().shape(name);
                int[] expected = reference.state().shape(name);
                if (!Arrays.equals(shape, expected)) {
                    throw new FedklprException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                            + " from client " + update.clientId() + " but " + Arrays.toString(expected)
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
