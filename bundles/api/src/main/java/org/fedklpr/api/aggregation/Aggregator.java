package org.fedklpr.api.aggregation;

import java.util.List;
import java.util.Set;

import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;

/**
 * Turns the updates of one round into the next global model ({@code fedklpr.name} = the strategy,
 * e.g. {@code fedavg}). Implementations keep no state between rounds, so they can be swapped at any
 * round boundary.
 */
public interface Aggregator {

    /** The tensors clients send and this strategy averages. */
    TensorScope scope();

    /**
     * The {@link org.fedklpr.api.federation.SiteMetrics} this strategy weighs clients by: every
     * selected site computes these in its round, and only these, and each update carries them.
     */
    default Set<String> siteMetrics() {
        return Set.of();
    }

    /**
     * The next global model. Tensors of {@code global} that no update carries keep their value.
     *
     * <p>The updates' states may be {@linkplain ModelState#readOnDemand read on demand} (the
     * coordinator keeps a round's updates on disk): each {@code tensor(name)} reads it again. Going a
     * tensor at a time over the clients, with {@code shape(name)} for shapes, holds one tensor per
     * client; nothing of an update may be kept after this returns.
     *
     * @param global the model the round started from
     * @param updates at least one update, each already checked to hold finite values
     * @throws org.fedklpr.api.FedklprException when the updates cannot be combined (say, a tensor's
     *         shape differs between clients); the message names the tensor and the clients
     */
    AggregationResult aggregate(ModelState global, List<ClientUpdate> updates);
}
