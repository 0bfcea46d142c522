package org.fedklpr.client;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.pruning.PruningController.PruningHistory;
import org.fedklpr.api.pruning.PruningDecision;

/**
 * What a pruning client carries from round to round: the mask in force, the one before the last
 * cut, the weights it held just before that cut (what a recovery brings back: the coordinator only
 * sends what the current mask keeps), and the history its controller decides from. Immutable.
 * It travels into checkpoints as tensors under {@value #PREFIX}: masks as bits, 21 to a float (a
 * ResNet-50's mask is 4.5 MB so, not the 94 MB of one float per element, which states of earlier
 * versions hold and which still read).
 *
 * @param current the mask in force, {@code null} while nothing is pruned
 * @param previous the mask before the last cut, {@code null} for the whole model
 * @param revivable the backbone as it was just before the last cut
 */
record PruningState(ModelMask current, ModelMask previous, ModelState revivable, PruningHistory history) {
    static final String PREFIX = "pruning.";
    static final PruningState NONE = new PruningState(null, null, ModelState.empty(), PruningHistory.empty());
    private static final String CURRENT = PREFIX + "current-bits/";
    private static final String PREVIOUS = PREFIX + "previous-bits/";
    /** Where states of earlier versions hold the masks, one 0/1 float per element. */
    private static final String CURRENT_FLOATS = PREFIX + "current/";
    private static final String PREVIOUS_FLOATS = PREFIX + "previous/";
    /** Mask bits per float: every integer below 2^21 is exact in a float. */
    private static final int BITS_PER_FLOAT = 21;
    private static final String REVIVABLE = PREFIX + "revivable/";
    private static final String HISTORY = PREFIX + "history";
    private static final String HOLD = PREFIX + "hold";
    private static final int FLOATS_PER_DOUBLE = 3;

    /** The state after cutting {@code inForce} down to {@code cut}; {@code before} held the weights. */
    PruningState cut(ModelMask inForce, ModelMask cut, ModelState before) {
        return new PruningState(cut, inForce, before, history);
    }

    /** The state once the round's validation signal is known. */
    PruningState measured(PruningDecision decision, double signal) {
        return new PruningState(current, previous, revivable,
                history.append(decision.ratio(), signal, decision.holdRoundsLeft()));
    }

    /**
     * {@code base} with the elements of {@code overlay} that {@code overlayMask} keeps (all of a
     * tensor the mask does not list; all of everything when it is {@code null}).
     */
    static ModelState overlay(ModelState base, ModelState overlay, ModelMask overlayMask) {
        if (overlayMask == null || base.isEmpty()) {
            return overlay;
        }
        Map<String, Tensor> merged = new LinkedHashMap<>();
        overlay.tensors().forEach((name, tensor) -> {
            BitSet kept = overlayMask.tensors().get(name);
            if (kept == null || !base.contains(name)) {
                merged.put(name, tensor);
                return;
            }
            float[] values = base.tensor(name).values().clone();
            for (int i = kept.nextSetBit(0); i >= 0 && i < values.length; i = kept.nextSetBit(i + 1)) {
                values[i] = tensor.values()[i];
            }
            merged.put(name, new Tensor(tensor.shape(), values));
        });
        return ModelState.of(merged);
    }

    /** The mask a decision starts the round from. */
    ModelMask inForce(PruningDecision decision) {
        return decision.restorePreviousMask() ? previous : current;
    }

    /** @param sizes the number of elements of each backbone tensor (a mask does not know its tensor's) */
    Map<String, Tensor> toTensors(Map<String, Integer> sizes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (history.rounds() == 0) {
            return tensors;
        }
        putMask(tensors, CURRENT, current, sizes);
        putMask(tensors, PREVIOUS, previous, sizes);
        revivable.tensors().forEach((name, tensor) -> tensors.put(REVIVABLE + name, tensor));
        int rounds = history.rounds();
        float[] values = new float[2 * rounds * FLOATS_PER_DOUBLE];
        for (int r = 0; r < rounds; r++) {
            putExactly(values, r * FLOATS_PER_DOUBLE, history.ratios()[r]);
            putExactly(values, (rounds + r) * FLOATS_PER_DOUBLE, history.metrics()[r]);
        }
        tensors.put(HISTORY, new Tensor(new int[] {2, rounds, FLOATS_PER_DOUBLE}, values));
        tensors.put(HOLD, new Tensor(new int[] {1}, new float[] {history.holdRoundsLeft()}));
        return tensors;
    }

    /**
     * Writes a double's 64 bits as three floats holding integers below 2^22 (exact in a float), so
     * that a resumed controller compares the very ratios it computed: 0.3 + 0.1 kept as a float
     * comes back as 0.40000001, which can turn a "done" into another "step".
     */
    private static void putExactly(float[] out, int at, double value) {
        long bits = Double.doubleToRawLongBits(value);
        out[at] = (bits >>> 42) & 0x3FFFFF;
        out[at + 1] = (bits >>> 21) & 0x1FFFFF;
        out[at + 2] = bits & 0x1FFFFF;
    }

    private static double getExactly(float[] in, int at) {
        return Double.longBitsToDouble(((long) in[at] << 42) | ((long) in[at + 1] << 21) | (long) in[at + 2]);
    }

    private static void putMask(Map<String, Tensor> tensors, String prefix, ModelMask mask, Map<String, Integer> sizes) {
        if (mask == null) {
            return;
        }
        for (Map.Entry<String, BitSet> entry : mask.tensors().entrySet()) {
            int size = sizes.get(entry.getKey());
            int[] packed = new int[(size + BITS_PER_FLOAT - 1) / BITS_PER_FLOAT];
            BitSet kept = entry.getValue();
            for (int i = kept.nextSetBit(0); i >= 0 && i < size; i = kept.nextSetBit(i + 1)) {
                packed[i / BITS_PER_FLOAT] |= 1 << (i % BITS_PER_FLOAT);
            }
            float[] values = new float[packed.length];
            for (int j = 0; j < packed.length; j++) {
                values[j] = packed[j];
            }
            tensors.put(prefix + entry.getKey(), new Tensor(new int[] {values.length}, values));
        }
    }

    static PruningState fromTensors(ModelState state) {
        if (!state.contains(HISTORY)) {
            return NONE;
        }
        Tensor history = state.tensor(HISTORY);
        int rounds = history.shape()[1];
        // Checkpoints from before the history was kept exactly hold one float per value ({2, rounds}).
        int width = history.shape().length == 3 ? FLOATS_PER_DOUBLE : 1;
        double[] ratios = new double[rounds];
        double[] metrics = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = width == 1 ? history.values()[r] : getExactly(history.values(), r * width);
            metrics[r] = width == 1 ? history.values()[rounds + r] : getExactly(history.values(), (rounds + r) * width);
        }
        int hold = Math.round(state.tensor(HOLD).values()[0]);
        Map<String, Tensor> revivable = new LinkedHashMap<>();
        state.tensors().forEach((name, tensor) -> {
            if (name.startsWith(REVIVABLE)) {
                revivable.put(name.substring(REVIVABLE.length()), tensor);
            }
        });
        return new PruningState(mask(state, CURRENT, CURRENT_FLOATS), mask(state, PREVIOUS, PREVIOUS_FLOATS),
                ModelState.of(revivable), new PruningHistory(ratios, metrics, hold));
    }

    /** The mask held under {@code bitsPrefix}, or under {@code floatsPrefix} by an earlier version. */
    private static ModelMask mask(ModelState state, String bitsPrefix, String floatsPrefix) {
        Map<String, BitSet> masks = new LinkedHashMap<>();
        state.tensors().forEach((name, tensor) -> {
            if (name.startsWith(bitsPrefix)) {
                masks.put(name.substring(bitsPrefix.length()), unpack(name, tensor.values()));
            } else if (name.startsWith(floatsPrefix)) {
                BitSet kept = new BitSet(tensor.size());
                for (int i = 0; i < tensor.size(); i++) {
                    if (tensor.values()[i] != 0f) {
                        kept.set(i);
                    }
                }
                masks.put(name.substring(floatsPrefix.length()), kept);
            }
        });
        return masks.isEmpty() ? null : ModelMask.of(masks);
    }

    private static BitSet unpack(String name, float[] values) {
        BitSet kept = new BitSet(values.length * BITS_PER_FLOAT);
        for (int j = 0; j < values.length; j++) {
            int word = (int) values[j];
            if (word != values[j] || word < 0 || word >= 1 << BITS_PER_FLOAT) {
                throw new IllegalArgumentException("saved mask '" + name + "' holds " + values[j] + " at " + j
                        + ", not " + BITS_PER_FLOAT + " bits of a mask");
            }
            for (int bit = 0; word != 0; bit++, word >>>= 1) {
                if ((word & 1) != 0) {
                    kept.set(j * BITS_PER_FLOAT + bit);
                }
            }
        }
        return kept;
    }
}
