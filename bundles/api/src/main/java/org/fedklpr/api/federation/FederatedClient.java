package org.fedklpr.api.federation;

import org.fedklpr.api.engine.NetworkSpec;
import org.fedklpr.api.model.ModelState;

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

    ClientUpdate train(TrainingTask task);

    /** Scores {@code global} (merged with the local head) on the client's query and gallery. */
    ClientEvaluation evaluate(int round, ModelState global);

    /** What the client keeps between rounds (its head), for checkpoints. */
    ModelState localState();

    /** Restores what {@link #localState()} returned (on resume from a checkpoint). */
    void restoreLocalState(ModelState state);

    @Override
    void close();
}
