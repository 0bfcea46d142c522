package org.fedklpr.api.federation;

import java.nio.file.Path;

/**
 * Where a client is and what data it holds.
 *
 * @param id the client's name in logs and metrics
 * @param dataset the client's dataset folder (on the client's own machine)
 * @param datasetFormat name of the {@link org.fedklpr.api.data.DatasetProvider} that reads it
 */
public record ClientDescriptor(String id, Path dataset, String datasetFormat) {
}
