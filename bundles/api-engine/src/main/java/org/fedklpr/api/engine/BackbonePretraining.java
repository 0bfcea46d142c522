package org.fedklpr.api.engine;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.fedklpr.api.federation.NetworkSpec;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Backbone weights trained on public data before federated training starts, as FedReID does with
 * public datasets: the value {@value #PUBLIC} of the coordinator's {@code pretrainedWeights} names
 * them. A site resolves it to a file through this service, so a runtime without it refuses that
 * value before round 0.
 */
@ProviderType
public interface BackbonePretraining {
    /** The {@code pretrainedWeights} value that asks for this service's backbone. */
    String PUBLIC = "public";

    /**
     * The {@code .npz} file of backbone weights for networks of {@code spec}'s architecture, input
     * size and embedding size (its head and seed do not matter), trained now unless an identical one
     * (same network, same pretraining settings) is already cached.
     *
     * @param progress receives a line per stage of the training when it runs
     * @throws org.fedklpr.api.FedklprException if the public data or the engine cannot provide it
     */
    Path backboneFor(NetworkSpec spec, Consumer<String> progress);
}
