package org.fedklpr.api.federation;

import java.util.List;
import java.util.Set;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;

/**
 * What the coordinator asks of a client in one round.
 *
 * @param round 1-based round number
 * @param global the global tensors the client starts from (the aggregator's scope)
 * @param globalMask the elements of {@code global} that travel: the client's own mask of the last
 *        round, since it zeroes the others anyway; {@code null} sends everything
 * @param returnScope the tensors the client sends back
 * @param settings local training settings
 * @param objectives names of the local objectives (services of the api-engine bundle) to minimise
 * @param pruning how the client prunes, or {@link Pruning#NONE}
 * @param probeTemperature temperature of the softmax over embeddings with which the client compares
 *        the global and its trained model on its probe batch (the {@code klaw} metric)
 * @param metrics the {@link SiteMetrics} the aggregator weighs clients by: the client computes these
 *        and no others
 * @param compression the {@link org.fedklpr.api.compression.UpdateCompression} the client sends its
 *        update through, by name, or blank for none; when set, the update's state is its difference
 *        from {@code global} (zero where the mask says nothing travels), not its trained tensors
 * @param pseudoLabeller blank: the site trains with its identity labels; otherwise the
 *        {@link org.fedklpr.api.pseudolabel.PseudoLabeller} by name with which it groups its training
 *        images into pseudo-identities at the start of every local epoch (unsupervised training: the
 *        identity labels of its training images are never read)
 */
public record TrainingTask(int round, ModelState global, ModelMask globalMask, TensorScope returnScope,
        TrainingSettings settings, List<String> objectives, Pruning pruning, double probeTemperature,
        Set<String> metrics, String compression, String pseudoLabeller) {
    public TrainingTask {
        compression = compression == null ? "" : compression.strip();
        pseudoLabeller = pseudoLabeller == null ? "" : pseudoLabeller.strip();
        if (!compression.isEmpty() && pruning.enabled()) {
            throw new IllegalArgumentException("update compression '" + compression + "' and pruning '"
                    + pruning.pruner() + "' both say with the update's mask what travels; choose one");
        }
        objectives = List.copyOf(objectives);
        metrics = Set.copyOf(metrics);
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("a training task needs at least one objective");
        }
        if (!(probeTemperature > 0)) {
            throw new IllegalArgumentException("probeTemperature must be positive, got " + probeTemperature);
        }
    }

    /** A task without pruning and without a downlink mask. */
    public TrainingTask(int round, ModelState global, TensorScope returnScope, TrainingSettings settings,
            List<String> objectives) {
        this(round, global, null, returnScope, settings, objectives, Pruning.NONE, 1.0, Set.of(), "", "");
    }

    /** A task of training with identity labels. */
    public TrainingTask(int round, ModelState global, ModelMask globalMask, TensorScope returnScope,
            TrainingSettings settings, List<String> objectives, Pruning pruning, double probeTemperature,
            Set<String> metrics, String compression) {
        this(round, global, globalMask, returnScope, settings, objectives, pruning, probeTemperature, metrics,
                compression, "");
    }

    /** A task whose update travels whole (no update compression). */
    public TrainingTask(int round, ModelState global, ModelMask globalMask, TensorScope returnScope,
            TrainingSettings settings, List<String> objectives, Pruning pruning, double probeTemperature,
            Set<String> metrics) {
        this(round, global, globalMask, returnScope, settings, objectives, pruning, probeTemperature, metrics, "",
                "");
    }

    public boolean compressed() {
        return !compression.isEmpty();
    }

    /** Whether the site trains on pseudo-identities instead of its identity labels. */
    public boolean unsupervised() {
        return !pseudoLabeller.isEmpty();
    }

    /** This task with {@code received} as its global model (what arrived over the wire). */
    public TrainingTask withGlobal(ModelState received) {
        return new TrainingTask(round, received, globalMask, returnScope, settings, objectives, pruning,
                probeTemperature, metrics, compression, pseudoLabeller);
    }

    /**
     * Which {@link org.fedklpr.api.pruning.Pruner} and
     * {@link org.fedklpr.api.pruning.PruningController} a client uses, by name; blank pruner: none.
     *
     * @param coordinatorMask whether the coordinator chooses one mask for every site (it prunes the
     *        aggregate to the largest ratio the sites' controllers asked for and sends it as the
     *        task's {@code globalMask}): a site then trains under that mask and cuts nothing itself;
     *        otherwise each site cuts its own
     */
    public record Pruning(String pruner, String controller, boolean coordinatorMask) {
        public static final Pruning NONE = new Pruning("", "");

        /** Each site cuts its own mask. */
        public Pruning(String pruner, String controller) {
            this(pruner, controller, false);
        }

        public boolean enabled() {
            return !pruner.isBlank();
        }
    }
}
