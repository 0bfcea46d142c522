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
 * pruning (what a recovery restores), and the history its controller decides from. Immutable.
 * It travels into checkpoints as tensors under {@value #PREFIX} (masks as 0/1 floats).
 */
record PruningState(ModelMask current, ModelMask previous, PruningHistory history) {
    static final String PREFIX = "pruning.";
    static final PruningState NONE = new PruningState(null, null, PruningHistory.empty());
    private static final String CURRENT = PREFIX + "current/";
    private static final String PREVIOUS = PREFIX + "previous/";
    private static final String HISTORY = PREFIX + "history";
    private static final String HOLD = PREFIX + "hold";

    /** The state after a round that pruned {@code inForce} down to {@code pruned}. */
    PruningState next(ModelMask inForce, ModelMask pruned, PruningDecision decision, double signal) {
        return new PruningState(pruned, inForce, history.append(decision.ratio(), signal, decision.holdRoundsLeft()));
    }

    /** The mask a decision starts the round from. */
    ModelMask inForce(PruningDecision decision) {
        return decision.restorePreviousMask() ? previous : current;
    }

    Map<String, Tensor> toTensors(ModelState shapes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (this == NONE || history.rounds() == 0) {
            return tensors;
        }
        putMask(tensors, CURRENT, current, shapes);
        putMask(tensors, PREVIOUS, previous, shapes);
        int rounds = history.rounds();
        float[] values = new float[2 * rounds];
        for (int r = 0; r < rounds; r++) {
            values[r] = (float) history.ratios()[r];
            values[rounds + r] = (float) history.metrics()[r];
        }
        tensors.put(HISTORY, new Tensor(new int[] {2, rounds}, values));
        tensors.put(HOLD, new Tensor(new int[] {1}, new float[] {history.holdRoundsLeft()}));
        return tensors;
    }

    private static void putMask(Map<String, Tensor> tensors, String prefix, ModelMask mask, ModelState shapes) {
        if (mask == null) {
            return;
        }
        for (Map.Entry<String, BitSet> entry : mask.tensors().entrySet()) {
            float[] keep = new float[shapes.tensor(entry.getKey()).size()];
            BitSet kept = entry.getValue();
            for (int i = kept.nextSetBit(0); i >= 0 && i < keep.length; i = kept.nextSetBit(i + 1)) {
                keep[i] = 1f;
            }
            tensors.put(prefix + entry.getKey(), new Tensor(new int[] {keep.length}, keep));
        }
    }

    static PruningState fromTensors(ModelState state) {
        if (!state.contains(HISTORY)) {
            return NONE;
        }
        Tensor history = state.tensor(HISTORY);
        int rounds = history.shape()[1];
        double[] ratios = new double[rounds];
        double[] metrics = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = history.values()[r];
            metrics[r] = history.values()[rounds + r];
        }
        int hold = Math.round(state.tensor(HOLD).values()[0]);
        return new PruningState(mask(state, CURRENT), mask(state, PREVIOUS),
                new PruningHistory(ratios, metrics, hold));
    }

    private static ModelMask mask(ModelState state, String prefix) {
        Map<String, BitSet> masks = new LinkedHashMap<>();
        state.tensors().forEach((name, tensor) -> {
            if (name.startsWith(prefix)) {
                BitSet kept = new BitSet(tensor.size());
                for (int i = 0; i < tensor.size(); i++) {
                    if (tensor.values()[i] != 0f) {
                        kept.set(i);
                    }
                }
                masks.put(name.substring(prefix.length()), kept);
            }
        });
        return masks.isEmpty() ? null : ModelMask.of(masks);
    }
}
