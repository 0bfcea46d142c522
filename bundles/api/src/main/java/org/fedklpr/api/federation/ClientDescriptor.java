package org.fedklpr.api.federation;

import java.nio.file.Path;

/**
 * Where a client is and what data it holds.
 *
 * @param id the client's name in logs and metrics
 * @param dataset the client's dataset folder (on the client's own machine)
 * @param datasetFormat name of the {@link org.fedklpr.api.data.DatasetProvider} that reads it
 * @param state the folder where the client keeps its state between rounds (on its own machine)
 */
public record ClientDescriptor(String id, Path dataset, String datasetFormat, Path state) {
}
