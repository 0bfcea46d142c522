package org.fedklpr.prune.magnitude;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

/**
 * Unstructured magnitude pruning (Han et al. 2015), as plain Java. The weights of convolutions and
 * linear layers outside the identity head are prunable; the smallest |w| go first. Elements the
 * previous mask dropped stay dropped, so a ratio lower than the one in force prunes nothing more.
 * Ties at the threshold are broken by position (earlier first), so masks are deterministic.
 *
 * <p>Three ways to share the cut between layers: one magnitude threshold over all of them
 * ({@link #global}), the same ratio in each ({@link #perLayer}), or LAMP scores ({@link #lamp}).
 */
final class MagnitudePruning {
    private MagnitudePruning() {
    }

    static boolean prunable(String name, Tensor tensor) {
        return name.endsWith(".weight") && tensor.shape().length >= 2 && !name.startsWith(Names.HEAD_PREFIX);
    }

    /** One threshold over all prunable tensors together. */
    static ModelMask global(ModelState state, double ratio, ModelMask previous) {
        return acrossTensors(state, ratio, previous, false);
    }

    /** The same ratio in every prunable tensor. */
    static ModelMask perLayer(ModelState state, double ratio, ModelMask previous) {
        Map<String, BitSet> masks = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            if (prunable(entry.getKey(), entry.getValue())) {
                float[] magnitudes = new float[entry.getValue().size()];
                magnitudes(entry.getValue(), previous == null ? null : previous.tensors().get(entry.getKey()),
                        magnitudes, 0);
                masks.put(entry.getKey(), keepLargest(magnitudes, ratio));
            }
        }
        return ModelMask.of(masks);
    }

    /**
     * Layer-adaptive magnitude pruning (LAMP, Lee et al., ICLR 2021): each weight is scored by
     * {@code w_u² / Σ_{v ≥ u} w_v²}, the sum running over the weights of its own tensor that are at
     * least as large, and the {@code ratio} share with the lowest scores goes, all tensors together.
     * The score is a weight's share of what is left of its layer when everything smaller is gone, so
     * a layer whose weights are all small (a wide late convolution under a fan-in scaled
     * initialisation) is not emptied before the others are touched: the largest weight of every
     * tensor scores 1, so no layer goes while anything else is left. Previously dropped elements
     * score -1 and add nothing to the sums.
     */
    static ModelMask lamp(ModelState state, double ratio, ModelMask previous) {
        return acrossTensors(state, ratio, previous, true);
    }

    /** One threshold over the scores of all prunable tensors: |w|, or LAMP scores when {@code layerAdaptive}. */
    private static ModelMask acrossTensors(ModelState state, double ratio, ModelMask previous,
            boolean layerAdaptive) {
        List<String> names = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            if (prunable(entry.getKey(), entry.getValue())) {
                names.add(entry.getKey());
                total += entry.getValue().size();
            }
        }
        float[] scores = new float[total];
        int offset = 0;
        for (String name : names) {
            int start = offset;
            offset = magnitudes(state.tensor(name), previous == null ? null : previous.tensors().get(name), scores,
                    offset);
            if (layerAdaptive) {
                toLampScores(scores, start, offset);
            }
        }
        BitSet kept = keepLargest(scores, ratio);
        Map<String, BitSet> masks = new LinkedHashMap<>();
        offset = 0;
        for (String name : names) {
            int size = state.tensor(name).size();
            masks.put(name, kept.get(offset, offset + size));
            offset += size;
        }
        return ModelMask.of(masks);
    }

    /**
     * Turns one tensor's magnitudes in {@code scores[from, to)} (-1 = already dropped, left as -1)
     * into LAMP scores. Sorting packs |w| and the index into one long (non-negative float bits order
     * like the floats), so a 25 M-element layer sorts without boxing.
     */
    private static void toLampScores(float[] scores, int from, int to) {
        long[] order = new long[to - from];
        int live = 0;
        for (int i = from; i < to; i++) {
            if (scores[i] >= 0) {
                order[live++] = ((long) Float.floatToIntBits(scores[i]) << 32) | (i - from);
            }
        }
        Arrays.sort(order, 0, live);
        double suffix = 0;
        for (int k = live - 1; k >= 0; k--) {
            double magnitude = Float.intBitsToFloat((int) (order[k] >>> 32));
            suffix += magnitude * magnitude;
            scores[from + (int) order[k]] = suffix > 0 ? (float) (magnitude * magnitude / suffix) : 0f;
        }
    }

    /** Writes |w| into {@code out} from {@code offset}; already pruned elements get -1 (pruned first). */
    private static int magnitudes(Tensor tensor, BitSet previouslyKept, float[] out, int offset) {
        float[] values = tensor.values();
        for (int i = 0; i < values.length; i++) {
            boolean dropped = previouslyKept != null && !previouslyKept.get(i);
            out[offset + i] = dropped ? -1f : Math.abs(values[i]);
        }
        return offset + values.length;
    }

    /**
     * Bits of the elements to keep: all but the {@code ratio} share with the smallest magnitudes,
     * and never one marked -1 (already pruned).
     */
    private static BitSet keepLargest(float[] magnitudes, double ratio) {
        int alreadyPruned = 0;
        for (float magnitude : magnitudes) {
            alreadyPruned += magnitude < 0 ? 1 : 0;
        }
        int toPrune = Math.max(alreadyPruned, (int) Math.floor(ratio * magnitudes.length));
        BitSet kept = new BitSet(magnitudes.length);
        kept.set(0, magnitudes.length);
        if (toPrune == 0) {
            return kept;
        }
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        float threshold = sorted[toPrune - 1];
        int below = 0;
        for (float magnitude : magnitudes) {
            below += magnitude < threshold ? 1 : 0;
        }
        int tiesToPrune = toPrune - below;
        for (int i = 0; i < magnitudes.length; i++) {
            if (magnitudes[i] < threshold) {
                kept.clear(i);
            } else if (magnitudes[i] == threshold && tiesToPrune > 0) {
                kept.clear(i);
                tiesToPrune--;
            }
        }
        return kept;
    }
}
