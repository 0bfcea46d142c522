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
    WHOLE_MODEL;

    public boolean includes(String tensorName) {
        return this == WHOLE_MODEL || !tensorName.startsWith(Names.HEAD_PREFIX);
    }
}
