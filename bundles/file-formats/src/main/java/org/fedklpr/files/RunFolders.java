package org.fedklpr.files;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What tools that look at a finished run read from its folder, read by the bundle that writes run
 * folders (the coordinator's), so the folder's layout has one owner.
 */
@ProviderType
public interface RunFolders {

    /**
     * The global model of the run's last completed round, with its manifest, as {@code fedklpr export}
     * writes it.
     *
     * @throws org.fedklpr.api.FedklprException naming the folder when it holds no completed round
     */
    ExportedModel model(Path run);

    /**
     * Where a site of the run keeps its images, when they are on this machine (a simulated site, or one
     * started on loopback).
     *
     * @throws org.fedklpr.api.FedklprException naming the site when the run has no such site (listing
     *         those it has) or its images are not on this machine
     */
    SiteData siteData(Path run, String site);

    /**
     * @param folder the site's dataset folder
     * @param format the dataset layout the run read it as ({@code auto} detects it)
     */
    record SiteData(Path folder, String format) {
    }
}
