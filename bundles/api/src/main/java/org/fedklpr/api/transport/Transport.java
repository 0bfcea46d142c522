package org.fedklpr.api.transport;

import org.fedklpr.api.federation.ClientDescriptor;

/** Connects the coordinator with clients ({@code fedklpr.name} = the transport, e.g. {@code inprocess}). */
public interface Transport {

    /**
     * @throws org.fedklpr.api.FedklprException if the client cannot be reached or started; the
     *         message names the client
     */
    ClientConnection connect(ClientDescriptor client);
}
