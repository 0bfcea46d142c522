package org.fedklpr.api.federation;

import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;

/**
 * One site: its data, its identity head and whatever else it keeps between rounds. Its images
 * never leave it; only weights and counts do. Calls come one at a time, in this order:
 * {@link #info()}, {@link #prepare}, then {@link #train} and {@link #evaluate} per round.
 */
public interface FederatedClient extends AutoCloseable {

    ClientInfo info();

    /**
     * Builds the local network.
     *
     * @param network the architecture; {@code identities} is the head size
     * @param labelOffset added to the client's 0-based identity labels (non-zero when clients share
     *        one label space, so that a whole-model average makes sense)
     */
    void prepare(NetworkSpec network, int labelOffset);

    /**
     * The tensors in {@code scope} of a network built from {@code spec} and never trained: the
     * experiment's starting global model. The engine gives equal weights for equal specs, so it does
     * not matter which site builds it; the coordinator, which has no engine, asks one.
     */
    ModelState initialModel(NetworkSpec spec, TensorScope scope);

    ClientUpdate train(TrainingTask task);

    /** Scores {@code global} (merged with the local head) on the client's query and gallery. */
    ClientEvaluation evaluate(int round, ModelState global);

    /**
     * Saves what the site keeps between rounds (its identity head, pruning state and the like), as
     * it is now, in its own state folder under {@code experiment} and {@code round}. Nothing of it
     * leaves the site. The site keeps the round before too.
     */
    void checkpoint(String experiment, int round);

    /**
     * Goes back to what {@link #checkpoint} saved under {@code experiment} and {@code round} (when
     * the experiment resumes).
     *
     * @throws org.fedklpr.api.FedklprException naming the state file that is missing or damaged
     */
    void restore(String experiment, int round);

    @Override
    void close();
}
