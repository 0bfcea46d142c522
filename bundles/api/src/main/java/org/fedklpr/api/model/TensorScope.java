package org.fedklpr.api.model;

import org.fedklpr.api.Names;

/** Which tensors of a re-ID network a federated algorithm exchanges. */
public enum TensorScope {
    /**
     * Backbone and embedding (with their batch-norm statistics); the identity classifier stays on
     * the client because identities differ between sites (FedPav and its successors).
     */
    BACKBONE,
    /** Every tensor, the identity classifier included (FedAvg); needs one shared label space. */
    WHOLE_MODEL,
    /** The identity classifier alone: what a client keeps to itself between rounds. */
    HEAD;

    public boolean includes(String tensorName) {
        return switch (this) {
            case BACKBONE -> !tensorName.startsWith(Names.HEAD_PREFIX);
            case WHOLE_MODEL -> true;
            case HEAD -> tensorName.startsWith(Names.HEAD_PREFIX);
        };
    }
}
