package org.fedklpr.api.transport;

import java.util.List;

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

    /**
     * The sites this transport admits, in the experiment's order; empty when the experiment makes
     * one simulated site per client folder of its data root (the in-process simulation).
     */
    default List<String> sites() {
        return List.of();
    }

    /**
     * How many connections the experiment may call at once: sites on their own machines train in
     * parallel; a simulation in one process trains one client at a time (1).
     */
    default int concurrentSites() {
        return 1;
    }
}
