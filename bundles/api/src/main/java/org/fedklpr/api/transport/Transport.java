package org.fedklpr.api.transport;

import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.SiteRequirements;

/** Connects the coordinator with clients ({@code fedklpr.name} = the transport, e.g. {@code inprocess}). */
public interface Transport {

    /**
     * @throws org.fedklpr.api.FedklprException if the client cannot be reached or started; the
     *         message names the client
     */
    ClientConnection connect(ClientDescriptor client);

    /**
     * Checks, before any client is connected, that this transport's own services (its wire codec,
     * say) and what every site needs are available.
     *
     * @throws org.fedklpr.api.FedklprException naming each missing name and the names available
     */
    void check(SiteRequirements requirements);
}
