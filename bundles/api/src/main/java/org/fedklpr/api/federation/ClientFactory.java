package org.fedklpr.api.federation;

/**
 * Starts the client runtime for a dataset on this machine. In a simulation the in-process transport
 * uses it for every client; on a real site it starts the one local client.
 */
public interface ClientFactory {

    /**
     * @throws org.fedklpr.api.FedklprException if the dataset cannot be read; the message names the
     *         client and the folder
     */
    FederatedClient create(ClientDescriptor descriptor);

    /**
     * Checks that every service the experiment names for a site is here.
     *
     * @throws org.fedklpr.api.FedklprException naming each missing name and the names available
     */
    void check(SiteRequirements requirements);
}
