package org.fedklpr.api.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes a federation of datasets to disk, one folder per client, in a layout that a
 * {@link DatasetProvider} reads. Registered with {@code fedklpr.name}; sizes come from the
 * generator's own configuration.
 */
public interface DatasetGenerator {

    /**
     * Writes (or reuses, when an identical one is already there) the federation under {@code root}.
     * The same seed and configuration give byte-identical files.
     *
     * @return the client folders, in client order
     */
    List<Path> generate(Path root, long seed);

    /** The {@link DatasetProvider} name that reads what this generator writes. */
    String format();
}
