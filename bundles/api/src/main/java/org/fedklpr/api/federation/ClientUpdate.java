package org.fedklpr.api.federation;

import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;

/**
 * A client's answer to a {@link TrainingTask}.
 *
 * @param state the trained tensors of the task's return scope
 * @param mask pruning masks of {@code state}, or {@code null} when nothing is pruned
 * @param samples training images used (the weight of sample-weighted averages)
 * @param metrics scalar measurements of the round ({@code loss}, per-term losses, ...), by name
 * @param notes words about the round ({@code crr_action}, ...), by name
 */
public record ClientUpdate(String clientId, int round, ModelState state, ModelMask mask, long samples,
        Map<String, Double> metrics, Map<String, String> notes) {
    /**
     * The metric by which a client says its local training diverged: the 1-based step whose loss was
     * not finite (where it stopped), or the last step when the trained model's embeddings are not.
     * An update carrying it is never aggregated.
     */
    public static final String DIVERGED_AT_STEP = "diverged_at_step";
    /** The note that says how the training of an update carrying {@link #DIVERGED_AT_STEP} diverged. */
    public static final String DIVERGENCE = "divergence";

    public ClientUpdate {
        metrics = Map.copyOf(metrics);
        notes = Map.copyOf(notes);
        if (samples <= 0) {
            throw new IllegalArgumentException("client " + clientId + " reported " + samples + " samples");
        }
    }

    /** An update without notes. */
    public ClientUpdate(String clientId, int round, ModelState state, ModelMask mask, long samples,
            Map<String, Double> metrics) {
        this(clientId, round, state, mask, samples, metrics, Map.of());
    }

    /** This update carrying {@code other} tensors and mask (what a transform or the wire made of it). */
    public ClientUpdate with(ModelState otherState, ModelMask otherMask) {
        return new ClientUpdate(clientId, round, otherState, otherMask, samples, metrics, notes);
    }
}
